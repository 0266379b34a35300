/**
 * The dispatcher against the mock Dobbletap, on PGlite and on the real server through `pg` and
 * `postgres`, with an injected clock: attempt times follow contract v1.1's schedule, Retry-After is
 * honoured, a 4xx is final, a 410 stops the endpoint, the last attempt dead-letters and replay
 * brings it back; ordering keys hold back only their own key; an offer enqueued before its campaign
 * is delivered after it; an offer answered CAMPAIGN_NOT_FOUND is resent when its campaign arrives;
 * a lease that expires is reclaimed; hooks never carry a secret.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SendResult } from "../client/types.js";
import { createDispatcher, type DispatcherHooks, type DispatcherOptions } from "./dispatcher.js";
import { migrate } from "./migrate.js";
import { createOutbox, type Outbox } from "./outbox.js";
import { retrySchedule } from "./schedule.js";
import { drivers, openTestDb, type TestDb } from "../../test/support/postgres-databases.js";
import { mockDobbletap, newCampaign, newOffer, newUpdate } from "../../test/support/postgres-fixtures.js";

let dobbletap: Awaited<ReturnType<typeof mockDobbletap>>;
beforeAll(async () => {
  dobbletap = await mockDobbletap();
});
afterAll(() => dobbletap.mock.close());

const T0 = Date.parse("2026-03-01T09:00:00.000Z");

describe.each(drivers)("createDispatcher on %s", (driver) => {
  let t: TestDb;
  let outbox: Outbox;
  let clock = T0;
  const now = () => clock;
  beforeAll(async () => {
    t = await openTestDb(driver);
    await migrate(t.db);
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    // Each test starts with an empty outbox, a fresh clock and no fault.
    await t.db.query("DELETE FROM webhook_kit.outbox");
    await dobbletap.admin("DELETE", "/__mock/faults");
    clock += 30 * 24 * 3_600_000;
    outbox = createOutbox({ db: t.db, now });
  });

  const dispatcher = (options: Partial<DispatcherOptions> = {}) =>
    createDispatcher({ db: t.db, clients: { dobbletap: dobbletap.client }, now, random: () => 0.5, ...options });
  const enqueue = <E extends Parameters<Outbox["enqueue"]>[1]>(event: E, data: Parameters<Outbox["enqueue"]>[2] & object, options = {}) =>
    t.db.transaction((tx) => outbox.enqueue(tx, event, data as never, options));
  const seenByMock = (id: string) => dobbletap.mock.events.list().filter((e) => e.id === id);

  it("runOnce retries a 503 on contract v1.1's schedule, then dead-letters after the 10th attempt; replay brings it back", async () => {
    await dobbletap.admin("POST", "/__mock/faults", { status: 503 });
    const start = clock;
    const { eventId } = await enqueue("campaign_created", newCampaign("schedule"));
    const d = dispatcher();
    expect(await d.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    let expectedAt = start;
    for (const delay of retrySchedule.delaysMs) {
      expectedAt += delay;
      clock = expectedAt - 1;
      expect((await d.runOnce()).claimed, `nothing is due 1 ms before ${delay} ms`).toBe(0);
      clock = expectedAt;
      expect((await d.runOnce()).claimed).toBe(1);
    }
    const dead = await outbox.status(eventId);
    expect(dead?.state).toBe("dead");
    expect(dead?.attempts.map((a) => Date.parse(a.startedAt) - start)).toEqual([
      0,
      ...retrySchedule.delaysMs.map((_, i) => retrySchedule.delaysMs.slice(0, i + 1).reduce((a, b) => a + b, 0)),
    ]);
    expect(dead?.attempts.every((a) => a.status === 503)).toBe(true);
    // v1.1: a 503 carries no contract code (gateways send it), so the sender reports UNEXPECTED_RESPONSE.
    expect(dead?.lastError).toMatchObject({ status: 503, code: "UNEXPECTED_RESPONSE" });
    expect(dead?.lastError?.message).toMatch(/attempt 10 of 10: dead-lettered/);
    expect(seenByMock(eventId)).toHaveLength(10);
    clock += 7 * 24 * 3_600_000;
    expect((await d.runOnce()).claimed).toBe(0);

    await dobbletap.admin("DELETE", "/__mock/faults");
    expect(await outbox.replay(eventId)).toMatchObject({ eventId, state: "pending", tries: 0 });
    expect(await d.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    const delivered = await outbox.status(eventId);
    expect(delivered).toMatchObject({ state: "delivered", tries: 1, lastError: null });
    expect(delivered?.attempts).toHaveLength(11);
  });

  it("runOnce jitters the delay within ±20% (random 0 → 4 s, random → 1 → 6 s after a failed first attempt)", async () => {
    await dobbletap.admin("POST", "/__mock/faults", { status: 500 });
    for (const [random, expected] of [
      [() => 0, 4_000],
      [() => 0.999_999, 6_000],
    ] as const) {
      const { eventId } = await enqueue("campaign_created", newCampaign("jitter"));
      await dispatcher({ random }).runOnce();
      const status = await outbox.status(eventId);
      expect(Date.parse(status!.nextAttemptAt!) - Date.parse(status!.attempts[0]!.finishedAt!)).toBe(expected);
    }
  });

  it("runOnce honours Retry-After on a 429 when it is later than the schedule's delay", async () => {
    await dobbletap.admin("POST", "/__mock/faults", { status: 429, retryAfter: 120, count: 1 });
    const { eventId } = await enqueue("campaign_created", newCampaign("retry-after"));
    const d = dispatcher();
    expect(await d.runOnce()).toMatchObject({ retried: 1 });
    const status = await outbox.status(eventId);
    expect(status?.lastError).toMatchObject({ status: 429 });
    expect(Date.parse(status!.nextAttemptAt!) - Date.parse(status!.attempts[0]!.finishedAt!)).toBe(120_000);
    clock += 119_000;
    expect((await d.runOnce()).claimed).toBe(0);
    clock += 1_000;
    expect(await d.runOnce()).toMatchObject({ delivered: 1 });
  });

  it("runOnce does not retry a 4xx: one attempt, dead, with the receiver's code", async () => {
    const hooks: Parameters<NonNullable<DispatcherHooks["onDead"]>>[0][] = [];
    // An update for a campaign the mock never heard of: 404 CAMPAIGN_NOT_FOUND (only offer_sent waits for its campaign).
    const { eventId } = await enqueue("activation_updated", newUpdate(crypto.randomUUID(), "never created"));
    const d = dispatcher({ hooks: { onDead: (info) => void hooks.push(info) } });
    expect(await d.runOnce()).toMatchObject({ claimed: 1, dead: 1, retried: 0 });
    clock += 7 * 24 * 3_600_000;
    expect((await d.runOnce()).claimed).toBe(0);
    const status = await outbox.status(eventId);
    expect(status).toMatchObject({ state: "dead", lastError: { status: 404, code: "CAMPAIGN_NOT_FOUND" } });
    expect(status?.lastError?.message).toMatch(/Not retried/);
    expect(seenByMock(eventId)).toHaveLength(1);
    expect(hooks).toEqual([expect.objectContaining({ eventId, event: "activation_updated", status: 404, code: "CAMPAIGN_NOT_FOUND" })]);
  });

  it("runOnce on a 410 dead-letters the event and stops delivering to that endpoint", async () => {
    await dobbletap.admin("POST", "/__mock/faults", { status: 410, count: 1 });
    const ids = [];
    for (const title of ["gone 1", "gone 2", "gone 3"]) ids.push((await enqueue("campaign_created", newCampaign(title))).eventId);
    expect(await dispatcher({ concurrency: 1 }).runOnce()).toMatchObject({ claimed: 1, dead: 1 });
    const [first, ...rest] = await Promise.all(ids.map((id) => outbox.status(id)));
    expect(first).toMatchObject({ state: "dead", lastError: { status: 410 } });
    for (const other of rest) {
      expect(other).toMatchObject({ state: "dead", attempts: [], lastError: { status: 410, code: "ENDPOINT_GONE" } });
      expect(seenByMock(other!.eventId)).toHaveLength(0);
    }
  });

  it("runOnce delivers an offer_sent enqueued before its campaign_created after it (never attempted before)", async () => {
    const campaign = newCampaign("offer first");
    const offer = newOffer(campaign.campaign.id);
    const { eventId: offerId } = await enqueue("offer_sent", offer);
    const { eventId: campaignId } = await enqueue("campaign_created", campaign);
    expect(await dispatcher().runOnce()).toMatchObject({ claimed: 2, delivered: 2 });
    const log = dobbletap.mock.events.list().filter((e) => e.id === offerId || e.id === campaignId);
    expect(log.map((e) => [e.event, e.status])).toEqual([
      ["campaign_created", 200],
      ["offer_sent", 200],
    ]);
    expect((await outbox.status(offerId))?.attempts).toHaveLength(1);
    expect(dobbletap.mock.state.offers.get(offer.offer.id)?.status).toBe("offered");
  });

  it("runOnce resends an offer_sent answered 404 CAMPAIGN_NOT_FOUND as soon as its campaign is delivered, same id", async () => {
    const campaign = newCampaign("late campaign");
    const offer = newOffer(campaign.campaign.id);
    const retries: boolean[] = [];
    const d = dispatcher({ hooks: { onRetry: ({ awaitingCampaign }) => void retries.push(awaitingCampaign) } });
    const { eventId: offerId } = await enqueue("offer_sent", offer, { orderingKey: null });
    expect(await d.runOnce()).toMatchObject({ claimed: 1, retried: 1 });
    expect(await outbox.status(offerId)).toMatchObject({ state: "pending", awaitingCampaign: true, lastError: { status: 404, code: "CAMPAIGN_NOT_FOUND" } });
    expect(retries).toEqual([true]);
    // The clock does not move: the resend is not the fallback schedule, the campaign's delivery wakes it.
    await enqueue("campaign_created", campaign);
    expect(await d.runOnce()).toMatchObject({ claimed: 2, delivered: 2 });
    const status = await outbox.status(offerId);
    expect(status?.state).toBe("delivered");
    expect(status?.attempts.map((a) => a.code ?? a.status)).toEqual(["CAMPAIGN_NOT_FOUND", 200]);
    expect(seenByMock(offerId).map((e) => e.status)).toEqual([404, 200]);
  });

  it("runOnce keeps one ordering key in enqueue order while it retries, and does not hold back other keys", async () => {
    const a = newCampaign("key A");
    const b = newCampaign("key B");
    const a1 = (await enqueue("campaign_created", a)).eventId;
    const a2 = (await enqueue("activation_updated", newUpdate(a.campaign.id, "A renamed"))).eventId;
    const b1 = (await enqueue("campaign_created", b)).eventId;
    const b2 = (await enqueue("activation_updated", newUpdate(b.campaign.id, "B renamed"))).eventId;
    await dobbletap.admin("POST", "/__mock/faults", { status: 503, count: 1 });
    const d = dispatcher({ concurrency: 1 });
    expect(await d.runOnce()).toMatchObject({ claimed: 3, retried: 1, delivered: 2 });
    expect((await outbox.status(a1))?.state).toBe("pending");
    expect(await outbox.status(a2)).toMatchObject({ state: "pending", tries: 0 });
    expect((await outbox.status(b1))?.state).toBe("delivered");
    expect((await outbox.status(b2))?.state).toBe("delivered");
    clock += 6_000;
    expect(await d.runOnce()).toMatchObject({ delivered: 2 });
    const order = dobbletap.mock.events
      .list()
      .filter((e) => (e.id === a1 || e.id === a2) && e.status === 200)
      .map((e) => e.id);
    expect(order).toEqual([a1, a2]);
    expect(dobbletap.mock.state.campaigns.get(a.campaign.id)?.title).toBe("A renamed");
  });

  it("a claimed event whose dispatcher stopped answering is reclaimed after its lease, sent again with the same id; the late result is discarded", async () => {
    const { eventId } = await enqueue("campaign_created", newCampaign("lease"));
    let release: (value: SendResult) => void = () => undefined;
    const stuck = createDispatcher({
      db: t.db,
      name: "stuck",
      leaseMs: 10_000,
      now,
      clients: { dobbletap: { ...dobbletap.client, send: () => new Promise<SendResult>((resolve) => (release = resolve)) } },
    });
    const stuckRun = stuck.runOnce();
    await expect.poll(async () => (await outbox.status(eventId))?.state, { timeout: 5_000 }).toBe("delivering");
    const rescuer = dispatcher({ name: "rescuer" });
    expect((await rescuer.runOnce()).claimed, "the lease still holds").toBe(0);
    clock += 10_000;
    expect(await rescuer.runOnce()).toMatchObject({ claimed: 1, delivered: 1 });
    release({
      success: true,
      eventId,
      syncStatus: { synced: true, error: null, retryQueued: false },
      result: { type: "campaign", id: eventId, status: "active" } as never,
      status: 200,
      attempts: 1,
    });
    expect(await stuckRun).toMatchObject({ claimed: 1, delivered: 0, leaseLost: 1 });
    const status = await outbox.status(eventId);
    expect(status?.state).toBe("delivered");
    expect(status?.attempts.map((a) => [a.attempt, a.dispatcher])).toEqual([
      [1, "stuck"],
      [2, "rescuer"],
    ]);
    expect(status?.result).not.toEqual({ type: "campaign", id: eventId, status: "active" });
    expect(seenByMock(eventId)).toHaveLength(1);
  });

  it("dispatcher hooks report attempts and outcomes without data, headers or the secret", async () => {
    const seen: unknown[] = [];
    const record = (name: string) => (info: unknown) => void seen.push({ name, info });
    const hooks: DispatcherHooks = { onAttempt: record("attempt"), onDelivered: record("delivered"), onRetry: record("retry"), onDead: record("dead") };
    await dobbletap.admin("POST", "/__mock/faults", { status: 503, count: 1 });
    const campaign = newCampaign("hooks");
    await enqueue("campaign_created", campaign);
    await enqueue("activation_updated", newUpdate(crypto.randomUUID(), "nobody"));
    const d = dispatcher({ hooks, concurrency: 1 });
    await d.runOnce();
    clock += 6_000;
    await d.runOnce();
    expect(seen.map((s) => (s as { name: string }).name).sort()).toEqual(["attempt", "attempt", "attempt", "dead", "delivered", "retry"]);
    const text = JSON.stringify(seen);
    expect(text).not.toContain(dobbletap.mock.secret!.slice(6));
    expect(text).not.toContain(campaign.campaign.brand.name);
    expect(text).not.toMatch(/webhook-signature|authorization/i);
  });

  it("createDispatcher refuses bad options with what to pass", () => {
    expect(() => dispatcher({ leaseMs: 0 })).toThrow(/leaseMs must be a whole number/);
    expect(() => dispatcher({ concurrency: 1.5 })).toThrow(/concurrency/);
    expect(() => createDispatcher({ db: t.db, clients: { dobbletop: dobbletap.client } as never })).toThrow(/"dobbletap" and "dttracker"/);
  });
});
