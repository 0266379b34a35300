/**
 * The outbox's promise, on PGlite and on the real server through `pg` and `postgres`: an event
 * enqueued in a transaction that rolls back is never sent; one that commits is delivered to the mock
 * Dobbletap exactly once; what the brand sees is `retryQueued`, then `synced`. Bad input is refused
 * before anything is written, with each issue named.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRequestValidationError } from "../errors/request-validation-error.js";
import { isDatabaseError } from "./database-error.js";
import { createDispatcher } from "./dispatcher.js";
import { migrate } from "./migrate.js";
import { createOutbox, type Outbox } from "./outbox.js";
import { drivers, openTestDb, type TestDb } from "../../test/support/postgres-databases.js";
import { mockDobbletap, newCampaign, newOffer } from "../../test/support/postgres-fixtures.js";

let dobbletap: Awaited<ReturnType<typeof mockDobbletap>>;
beforeAll(async () => {
  dobbletap = await mockDobbletap();
});
afterAll(() => dobbletap.mock.close());

describe.each(drivers)("createOutbox on %s", (driver) => {
  let t: TestDb;
  let outbox: Outbox;
  beforeAll(async () => {
    t = await openTestDb(driver);
    await migrate(t.db);
    outbox = createOutbox({ db: t.db });
  });
  afterAll(() => t.close());

  const dispatcher = () => createDispatcher({ db: t.db, clients: { dobbletap: dobbletap.client } });

  it("outbox.enqueue in a rolled-back transaction: nothing is stored, nothing is ever sent", async () => {
    const campaign = newCampaign("rolled back");
    let eventId = "";
    await expect(
      t.db.transaction(async (tx) => {
        ({ eventId } = await outbox.enqueue(tx, "campaign_created", campaign));
        throw new Error("the balance deduction failed");
      }),
    ).rejects.toThrow("the balance deduction failed");
    expect(await outbox.status(eventId)).toBeUndefined();
    const report = await dispatcher().runOnce();
    expect(report.claimed).toBe(0);
    expect(dobbletap.mock.state.campaigns.has(campaign.campaign.id)).toBe(false);
    expect(dobbletap.mock.events.list().some((e) => e.id === eventId)).toBe(false);
  });

  it("outbox.enqueue in a committed transaction: retryQueued, then delivered to the mock exactly once, then synced", async () => {
    const campaign = newCampaign("committed");
    const enqueued = await t.db.transaction((tx) => outbox.enqueue(tx, "campaign_created", campaign));
    expect(enqueued.syncStatus).toEqual({ synced: false, error: null, retryQueued: true });
    expect((await outbox.status(enqueued.eventId))?.state).toBe("pending");

    const first = await dispatcher().runOnce();
    expect(first).toMatchObject({ claimed: 1, delivered: 1, retried: 0, dead: 0, stoppedBy: "idle" });
    const again = await dispatcher().runOnce();
    expect(again.claimed).toBe(0);

    const status = await outbox.status(enqueued.eventId);
    expect(status).toMatchObject({ state: "delivered", tries: 1, lastError: null, duplicate: false });
    expect(status?.result).toEqual({ type: "campaign", id: expect.any(String), status: "active" });
    expect(status?.attempts).toHaveLength(1);
    expect(status?.attempts[0]).toMatchObject({ attempt: 1, status: 200, code: null });
    expect(status?.attempts[0]?.durationMs).toBeGreaterThan(0);
    expect(dobbletap.mock.state.campaigns.get(campaign.campaign.id)?.title).toBe("committed");
    const seen = dobbletap.mock.events.list().filter((e) => e.id === enqueued.eventId);
    expect(seen).toEqual([expect.objectContaining({ status: 200, event: "campaign_created" })]);
  });

  it("outbox.enqueue of non-contract data throws a RequestValidationError listing each issue, and writes nothing", async () => {
    const bad = { offer: { ...newOffer(crypto.randomUUID()).offer, amount: { currency: "NGN", amountMinor: 750.5 }, creatorId: "nope" } };
    const error = await t.db.transaction((tx) => outbox.enqueue(tx, "offer_sent", bad as never)).catch((e: unknown) => e);
    expect(isRequestValidationError(error)).toBe(true);
    const paths = (error as { issues: { path: string }[] }).issues.map((issue) => issue.path).sort();
    expect(paths).toEqual(["data.offer.amount.amountMinor", "data.offer.creatorId"]);
    expect(await outbox.list({ state: "pending" })).toEqual([]);
  });

  it("outbox.enqueue's RequestValidationError does not roll back by itself: the caller's transaction decides", async () => {
    const good = newCampaign("kept despite a bad sibling");
    const { eventId } = await t.db.transaction(async (tx) => {
      const kept = await outbox.enqueue(tx, "campaign_created", good);
      await outbox.enqueue(tx, "offer_sent", { offer: {} } as never).catch(() => undefined);
      return kept;
    });
    expect((await outbox.status(eventId))?.state).toBe("pending");
    await dispatcher().runOnce();
    expect((await outbox.status(eventId))?.state).toBe("delivered");
  });

  it("outbox.enqueue with the same id and data twice stores one event; with other data it is refused", async () => {
    const id = crypto.randomUUID();
    const campaign = newCampaign("same id");
    await t.db.transaction((tx) => outbox.enqueue(tx, "campaign_created", campaign, { id }));
    await t.db.transaction((tx) => outbox.enqueue(tx, "campaign_created", campaign, { id }));
    expect((await outbox.list({ limit: 1000 })).filter((e) => e.eventId === id)).toHaveLength(1);
    const error = await t.db.transaction((tx) => outbox.enqueue(tx, "campaign_created", newCampaign("other"), { id })).catch((e: unknown) => e);
    expect(isRequestValidationError(error) && error.issues[0]?.path).toBe("id");
    await dispatcher().runOnce();
  });

  it("outbox.enqueue refuses a bad id, occurredAt, orderingKey, event or tx with what to pass", async () => {
    const data = newCampaign();
    await expect(t.db.transaction((tx) => outbox.enqueue(tx, "campaign_created", data, { id: "42" }))).rejects.toThrow(/must be a UUID/);
    await expect(t.db.transaction((tx) => outbox.enqueue(tx, "campaign_created", data, { occurredAt: "yesterday" }))).rejects.toThrow(/occurredAt/);
    await expect(t.db.transaction((tx) => outbox.enqueue(tx, "campaign_created", data, { orderingKey: "" }))).rejects.toThrow(/orderingKey/);
    await expect(t.db.transaction((tx) => outbox.enqueue(tx, "campaign_launched" as never, data as never))).rejects.toThrow(/not a contract event/);
    const noTx = await outbox.enqueue(undefined as never, "campaign_created", data).catch((e: unknown) => e);
    expect(isDatabaseError(noTx) && noTx.message).toMatch(/needs the transaction/);
  });

  it("outbox.list({ state, limit }) lists oldest first; outbox.replay refuses an event that is not dead", async () => {
    const ids: string[] = [];
    for (const title of ["l1", "l2", "l3"]) ids.push((await t.db.transaction((tx) => outbox.enqueue(tx, "campaign_created", newCampaign(title)))).eventId);
    const pending = await outbox.list({ state: "pending", limit: 2 });
    expect(pending.map((e) => e.eventId)).toEqual(ids.slice(0, 2));
    expect(pending[0]).toMatchObject({ event: "campaign_created", party: "dobbletap", state: "pending", tries: 0, lastError: null });
    const refused = await outbox.replay(ids[0]!).catch((e: unknown) => e);
    expect(isDatabaseError(refused) && refused.code).toBe("INVALID_STATE");
    const unknown = await outbox.replay(crypto.randomUUID()).catch((e: unknown) => e);
    expect(isDatabaseError(unknown) && unknown.code).toBe("NOT_FOUND");
    await expect(outbox.list({ state: "lost" as never })).rejects.toThrow(/state must be one of/);
    await dispatcher().runOnce();
    expect((await outbox.list({ state: "pending" })).length).toBe(0);
  });

  it("createOutbox / createDispatcher with a raw driver instead of an adapter name the three adapters", () => {
    expect(() => createOutbox({ db: {} as never })).toThrow(/fromPg.*fromPostgresJs.*fromPGlite/);
    expect(() => createDispatcher({ db: {} as never, clients: { dobbletap: dobbletap.client } })).toThrow(/fromPg.*fromPostgresJs.*fromPGlite/);
    expect(() => createDispatcher({ db: t.db, clients: {} })).toThrow(/at least one client/);
  });
});
