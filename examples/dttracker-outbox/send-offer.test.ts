/**
 * The idea: a brand's balance and the offer it paid for commit together or not at all, and
 * `retryQueued: true` is a promise the outbox keeps. Against the real PostgreSQL server (through
 * postgres.js, what the Supabase functions use) and the mock Dobbletap: the deduction and both
 * events commit in one transaction and are delivered once each, campaign first; an offer the brand
 * cannot afford rolls back the deduction and the enqueues, and nothing is ever sent; with Dobbletap
 * down the brand keeps seeing `retryQueued: true`, and a later run delivers the offer exactly once.
 */
import { startMockServer, type RunningMockServer } from "@dttracker-dobbletap/mock-server";
import { createDobbletapClient, generateSecret } from "@dttracker-dobbletap/sdk";
import { createDispatcher, createOutbox, fromPostgresJs, type Database, type Outbox } from "@dttracker-dobbletap/sdk/postgres";
import postgres from "postgres";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../test/support/postgres.js";
import { addBrand, balanceOf, InsufficientBalanceError, newActivation, sendOfferToActivation, setUp } from "./send-offer.js";

const secret = generateSecret();
let database: { url: string; drop(): Promise<void> };
let sql: postgres.Sql;
let db: Database;
let outbox: Outbox;
let mock: RunningMockServer;
let clock = Date.now();

const admin = async (method: string, path: string, body?: object) => {
  const response = await fetch(mock.origin + path, { method, headers: { "content-type": "application/json" }, body: body && JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
};
const dispatcher = () =>
  createDispatcher({
    db,
    clients: { dobbletap: createDobbletapClient({ baseUrl: mock.url, secret, retry: false, timeoutMs: 5_000 }) },
    now: () => clock,
  });
const received = (eventId: string) => mock.events.list().filter((entry) => entry.id === eventId);
/** What the brand sees for an offer, from the outbox alone. */
const brandSees = async (eventId: string) => {
  const status = await outbox.status(eventId);
  const synced = status?.state === "delivered";
  return { synced, retryQueued: !synced && status !== undefined };
};

beforeAll(async () => {
  database = await createTestDatabase("dttracker_outbox");
  sql = postgres(database.url, { max: 4, onnotice: () => {} });
  db = fromPostgresJs(sql);
  await setUp(db);
  await setUp(db); // idempotent
  outbox = createOutbox({ db, now: () => clock });
  mock = await startMockServer({ as: "dobbletap", port: 0, secret });
});

afterAll(async () => {
  await mock?.close();
  await sql?.end({ timeout: 5 });
  await database?.drop();
});

beforeEach(async () => {
  await admin("DELETE", "/__mock/faults");
  clock += 24 * 3_600_000;
});

describe("send-offer-to-activation on the real server", () => {
  it("deducts and enqueues in one transaction; runOnce delivers campaign then offer, once each; status delivered", async () => {
    const brandId = await addBrand(db, "Glow Cosmetics", 10_000_000);
    const { campaign, offer } = newActivation(brandId);
    const sent = await sendOfferToActivation(db, outbox, { brandId, campaign, offer });
    expect(sent.syncStatus).toEqual({ synced: false, error: null, retryQueued: true });
    expect(sent.balanceMinor).toBe(2_500_000);
    expect(await balanceOf(db, brandId)).toBe(2_500_000);
    expect(await brandSees(sent.offerEventId)).toEqual({ synced: false, retryQueued: true });
    expect(mock.state.offers.has(offer.id)).toBe(false);

    expect(await dispatcher().runOnce({ limit: 10, deadlineMs: 10_000 })).toMatchObject({ delivered: 2, retried: 0, dead: 0 });
    expect(received(sent.campaignEventId)).toHaveLength(1);
    expect(received(sent.offerEventId)).toHaveLength(1);
    const order = mock.events.list().map((entry) => entry.id);
    expect(order.indexOf(sent.campaignEventId)).toBeLessThan(order.indexOf(sent.offerEventId));
    expect(mock.state.offers.get(offer.id)).toMatchObject({ campaignId: campaign.id, status: "offered" });
    const status = await outbox.status(sent.offerEventId);
    expect(status).toMatchObject({ state: "delivered", orderingKey: campaign.id, lastError: null });
    expect(status?.result).toEqual({ type: "offer", id: mock.state.offers.get(offer.id)?.recordId, status: "offered" });
    expect(await brandSees(sent.offerEventId)).toEqual({ synced: true, retryQueued: false });
    expect((await dispatcher().runOnce()).claimed).toBe(0);
  });

  it("insufficient balance: the transaction rolls back (balance unchanged, no outbox row) and nothing is ever sent", async () => {
    const brandId = await addBrand(db, "Small Brand", 1_000_000);
    const { campaign, offer } = newActivation(brandId);
    const before = (await outbox.list({ limit: 1000 })).length;
    const error = await sendOfferToActivation(db, outbox, { brandId, campaign, offer }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InsufficientBalanceError);
    expect((error as Error).message).toMatch(/has 1000000 .* costs 7500000: top up/);
    expect(await balanceOf(db, brandId)).toBe(1_000_000);
    expect(await outbox.list({ limit: 1000 })).toHaveLength(before);
    await dispatcher().runOnce();
    expect(mock.state.campaigns.has(campaign.id)).toBe(false);
    expect(mock.state.offers.has(offer.id)).toBe(false);
    expect(mock.events.list().some((entry) => JSON.stringify(entry).includes(offer.id))).toBe(false);
  });

  it("Dobbletap down: retryQueued stays true; a later runOnce delivers the offer exactly once", async () => {
    const brandId = await addBrand(db, "Glow Cosmetics", 10_000_000);
    const { campaign, offer } = newActivation(brandId);
    const sent = await sendOfferToActivation(db, outbox, { brandId, campaign, offer });
    await admin("POST", "/__mock/faults", { status: 503 });
    expect(await dispatcher().runOnce()).toMatchObject({ delivered: 0, retried: 1 });
    expect(await brandSees(sent.offerEventId)).toEqual({ synced: false, retryQueued: true });
    expect((await outbox.status(sent.campaignEventId))?.lastError).toMatchObject({ status: 503 });
    // The offer waits behind its campaign (same ordering key): it was not even tried.
    expect(received(sent.offerEventId)).toHaveLength(0);
    expect(await dispatcher().runOnce()).toMatchObject({ claimed: 0 }); // not due yet

    await admin("DELETE", "/__mock/faults");
    clock += 10 * 60_000; // past the first retry delay (5 s ± 20%)
    expect(await dispatcher().runOnce()).toMatchObject({ delivered: 2 });
    expect(received(sent.offerEventId)).toHaveLength(1);
    expect(received(sent.campaignEventId)).toHaveLength(2);
    expect(mock.state.offers.get(offer.id)?.status).toBe("offered");
    expect(await brandSees(sent.offerEventId)).toEqual({ synced: true, retryQueued: false });
    expect((await outbox.status(sent.campaignEventId))?.attempts).toHaveLength(2);
  });
});
