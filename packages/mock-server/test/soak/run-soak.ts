/**
 * The fault soak, shared by the test suite (short: `fault-soak.test.ts`) and the long-mode script
 * (`bench/soak.ts`, `SOAK_N=5000`). The SDK sender delivers N new records (`campaign_created` and
 * `offer_sent`, alternating) to the mock Dobbletap while the mock, through `POST /__mock/faults`,
 * fails about 30% of requests in rotating ways: 503, 500, 429 with `Retry-After`, a dropped
 * connection, added latency. Then an outage (every request 503) sends a few more, so the retry
 * queue is always exercised; a queue that refuses some hand-offs checks that `retryQueued` is only
 * reported for what the queue took.
 *
 * What it checks, per send, the moment it resolves (in-process state; the mock applies faults before
 * processing, and latency stays well under the sender's timeout, so the sender can know the truth):
 *   synced ⇔ the mock has stored the record; a synced result names that record;
 *   retryQueued ⇔ the queue holds the event; never both; a failure always carries an error.
 * And at the end, over the admin API (`GET /__mock/state`, `GET /__mock/events`), after draining the
 * queue and resending what was neither synced nor queued (same id, as the SDK advises): every record
 * is stored, exactly once — exactly one non-duplicate 200 per event id, the rest answered as
 * duplicates — and resending synced events with their id changes nothing.
 */
import { randomUUID } from "node:crypto";
import { events, type EventDataInput } from "@dttracker-dobbletap/contracts";
import { createDobbletapClient, createMemoryRetryQueue, type QueuedDelivery, type RetryQueue, type SendResult } from "@dttracker-dobbletap/sdk";
import { startMockServer } from "../../src/index.js";

export interface SoakOptions {
  /** How many events to deliver (each creates one record). */
  n: number;
  /** Sends in flight at once. Default 8. */
  concurrency?: number;
  /** The fraction of webhook requests each fault hits. Default 0.3. */
  faultRate?: number;
  /** How often the fault kind rotates, ms. Default 40. */
  rotateEveryMs?: number;
  /** Progress lines (long mode). */
  log?: (line: string) => void;
}

export interface SoakReport {
  sent: number;
  attempts: number;
  /** Answers the mock gave from an injected fault (status or dropped connection), from its event log. */
  faultsInjected: number;
  /** Requests by how they were answered, from the sender's hooks (0 = no answer: dropped or timed out). */
  statuses: Record<string, number>;
  syncedFirstTime: number;
  retryQueued: number;
  queueRefused: number;
  drained: number;
  resentByCaller: number;
  duplicatesOnResend: number;
  /** Every broken promise; empty when the soak passes. */
  violations: string[];
  durationMs: number;
}

type Item =
  | { event: "campaign_created"; id: string; recordId: string; data: EventDataInput<"campaign_created"> }
  | { event: "offer_sent"; id: string; recordId: string; data: EventDataInput<"offer_sent"> };

const FAULTS: object[] = [{ status: 503 }, { status: 500 }, { status: 429, retryAfter: 1 }, { drop: true }, { latencyMs: 60 }, { status: 502, latencyMs: 20 }];

/** A queue that refuses every third hand-off, like a database that is sometimes down. */
function flakyQueue(inner: RetryQueue): RetryQueue & { refused: number } {
  let calls = 0;
  const queue = {
    refused: 0,
    async enqueue(delivery: QueuedDelivery) {
      if (++calls % 3 === 0) {
        queue.refused++;
        throw new Error("queue unavailable");
      }
      await inner.enqueue(delivery);
    },
  };
  return queue;
}

function newItem(index: number): Item {
  const campaignExample = events.campaign_created.example.data.campaign;
  const offerExample = events.offer_sent.example.data.offer;
  const id = randomUUID();
  if (index % 2 === 0) {
    const campaign = { ...campaignExample, id: randomUUID(), title: `Soak campaign ${index}` };
    return { event: "campaign_created", id, recordId: campaign.id, data: { campaign } };
  }
  // Offers go to the seeded campaign and creator: their order relative to other sends does not matter.
  const offer = { ...offerExample, id: randomUUID(), amount: { currency: "NGN", amountMinor: 100_000 + index } };
  return { event: "offer_sent", id, recordId: offer.id, data: { offer } };
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const started = performance.now();
  const log = options.log ?? (() => undefined);
  const concurrency = options.concurrency ?? 8;
  const rate = options.faultRate ?? 0.3;
  const mock = await startMockServer({ as: "dobbletap", eventLogCapacity: options.n * 20 + 1000 });
  const admin = async (method: string, path: string, body?: object) => {
    const response = await fetch(mock.origin + path, {
      method,
      headers: { "content-type": "application/json" },
      body: body && JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };

  const statuses: Record<string, number> = {};
  let attempts = 0;
  const memoryQueue = createMemoryRetryQueue();
  const queue = flakyQueue(memoryQueue);
  const client = createDobbletapClient({
    baseUrl: mock.url,
    secret: mock.secret,
    // Small delays keep the soak short; Retry-After (1 s) is honoured.
    retry: { attempts: 4, initialDelayMs: 10, maxDelayMs: 80, totalTimeoutMs: 10_000, maxRetryAfterMs: 1_500 },
    timeoutMs: 2_000,
    retryQueue: queue,
    hooks: {
      onAttempt: () => void attempts++,
      onResponse: ({ status }) => void (statuses[status] = (statuses[status] ?? 0) + 1),
    },
  });

  const violations: string[] = [];
  const stored = (item: Item) => (item.event === "campaign_created" ? mock.state.campaigns.has(item.recordId) : mock.state.offers.has(item.recordId));
  const queued = () => new Set(memoryQueue.list().map((delivery) => delivery.id));
  const send = (item: Item, id = item.id): Promise<SendResult> =>
    item.event === "campaign_created" ? client.campaignCreated(item.data, { id }) : client.offerSent(item.data, { id });

  /** Checks what one send reported against what the mock and the queue actually hold, right now. */
  const checkTruth = (item: Item, result: SendResult, when: string) => {
    const { synced, retryQueued, error } = result.syncStatus;
    const where = `${when} ${item.event} ${item.id}`;
    if (synced !== stored(item)) violations.push(`${where}: synced=${synced} but stored=${stored(item)}`);
    // v1.1: a synced result names the mock's own record id for the record stored under the sender's id.
    const own = (item.event === "campaign_created" ? mock.state.campaigns : mock.state.offers).get(item.recordId)?.recordId;
    if (synced && (result.result as { id?: string } | undefined)?.id !== own) {
      violations.push(`${where}: synced, but the result names ${JSON.stringify(result.result)}`);
    }
    if (retryQueued !== queued().has(item.id)) violations.push(`${where}: retryQueued=${retryQueued} but queued=${queued().has(item.id)}`);
    if (synced && retryQueued) violations.push(`${where}: both synced and retryQueued`);
    if (synced !== (error === null)) violations.push(`${where}: synced=${synced} with error ${JSON.stringify(error)}`);
    if (result.success !== synced) violations.push(`${where}: success=${result.success} but synced=${synced}`);
  };

  const items = Array.from({ length: options.n }, (_, index) => newItem(index));
  const results = new Map<string, SendResult>();
  let rotation = 0;
  const rotateFaults = () => admin("POST", "/__mock/faults", { ...FAULTS[rotation++ % FAULTS.length], rate });
  let rotating: Promise<unknown> = rotateFaults();
  const rotator = setInterval(() => {
    rotating = rotating.then(rotateFaults, rotateFaults);
  }, options.rotateEveryMs ?? 40);

  try {
    // Phase 1: N sends under ~30% rotating faults.
    let done = 0;
    await pool(items, concurrency, async (item) => {
      const result = await send(item);
      checkTruth(item, result, "send");
      results.set(item.id, result);
      if (++done % 500 === 0) log(`  ${done}/${options.n} sent`);
    });
    clearInterval(rotator);
    await rotating.catch(() => undefined);

    // Phase 2: an outage. Every request fails, so these can only end queued (or refused by the queue).
    await admin("POST", "/__mock/faults", { status: 503 });
    const outage = Array.from({ length: 3 }, (_, index) => newItem(options.n + index));
    for (const item of outage) {
      const result = await send(item);
      checkTruth(item, result, "outage");
      if (result.syncStatus.synced) violations.push(`outage ${item.id}: synced during a total outage`);
      results.set(item.id, result);
      items.push(item);
    }

    // Phase 3: recovery. Drain the queue (first while some faults remain, then clean), and resend,
    // with the same id, what was neither synced nor queued, as the SDK's error message advises.
    await admin("POST", "/__mock/faults", { status: 503, rate: 0.3 });
    let drained = 0;
    for (let round = 0; round < 200 && memoryQueue.size > 0; round++) {
      if (round === 20) await admin("DELETE", "/__mock/faults");
      const report = await memoryQueue.drain(client);
      drained += report.synced.length;
      for (const { delivery, result } of report.dropped) {
        violations.push(`drain: ${delivery.event} ${delivery.id} dropped: ${result.syncStatus.error?.code}`);
      }
    }
    await admin("DELETE", "/__mock/faults");
    if (memoryQueue.size > 0) violations.push(`${memoryQueue.size} deliveries still queued after draining`);
    let resentByCaller = 0;
    for (const item of items) {
      const result = results.get(item.id)!;
      if (result.syncStatus.synced || result.syncStatus.retryQueued) continue;
      resentByCaller++;
      const again = await send(item);
      checkTruth(item, again, "resend");
      if (!again.syncStatus.synced) violations.push(`resend ${item.event} ${item.id}: not synced without faults: ${again.syncStatus.error?.message}`);
    }

    // Phase 4: resending synced events with their id is answered as a duplicate and stores nothing new.
    let duplicatesOnResend = 0;
    const synced = items.filter((item) => results.get(item.id)!.syncStatus.synced);
    for (const item of synced.slice(0, Math.max(3, Math.ceil(synced.length / 10)))) {
      const again = await send(item);
      if (again.syncStatus.synced && again.duplicate === true) duplicatesOnResend++;
      else violations.push(`duplicate resend ${item.event} ${item.id}: synced=${again.syncStatus.synced} duplicate=${again.duplicate}`);
    }

    // The final account, as an integrator would take it: over the admin API.
    // GET /__mock/state comes a page at a time: follow next to the end.
    type Page = { campaigns: { id: string }[]; offers: { id: string }[]; next?: string };
    const state: Page = { campaigns: [], offers: [] };
    for (let cursor: string | undefined = ""; cursor !== undefined; ) {
      const page = (await admin("GET", `/__mock/state?limit=10000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`)) as Page;
      state.campaigns.push(...page.campaigns);
      state.offers.push(...page.offers);
      cursor = page.next;
    }
    const log_ = (await admin("GET", "/__mock/events")) as {
      total: number;
      events: Array<{ id?: string; status: number; duplicate?: boolean; fault?: string }>;
    };
    if (log_.total !== log_.events.length) violations.push(`the mock's event log dropped entries (${log_.total} > ${log_.events.length})`);
    const count = (ids: string[]) => ids.reduce((map, id) => map.set(id, (map.get(id) ?? 0) + 1), new Map<string, number>());
    const campaigns = count(state.campaigns.map((campaign) => campaign.id));
    const offers = count(state.offers.map((offer) => offer.id));
    const firstSuccesses = count(log_.events.filter((entry) => entry.status === 200 && !entry.duplicate && entry.id).map((entry) => entry.id!));
    for (const item of items) {
      const copies = (item.event === "campaign_created" ? campaigns : offers).get(item.recordId) ?? 0;
      if (copies !== 1) violations.push(`${item.event} ${item.id}: stored ${copies} times`);
      const successes = firstSuccesses.get(item.id) ?? 0;
      if (successes !== 1) violations.push(`${item.event} ${item.id}: ${successes} non-duplicate successes in the mock's log`);
    }
    const faultsInjected = log_.events.filter((entry) => entry.fault !== undefined).length;

    const values = [...results.values()];
    return {
      sent: items.length,
      attempts,
      faultsInjected,
      statuses,
      syncedFirstTime: values.filter((result) => result.syncStatus.synced).length,
      retryQueued: values.filter((result) => result.syncStatus.retryQueued).length,
      queueRefused: queue.refused,
      drained,
      resentByCaller,
      duplicatesOnResend,
      violations,
      durationMs: performance.now() - started,
    };
  } finally {
    clearInterval(rotator);
    await mock.close();
  }
}
