/**
 * postgresDedupStore with transactional handlers, on PGlite and on the real server through `pg`
 * and `postgres`: four receivers sharing one database run a handler once for 20 concurrent copies;
 * a handler that inserts then throws, or runs out of time, leaves no row and no remembered id; the
 * same id with other data is 409; an expired id is forgotten; a sweep deletes a bounded batch
 * through the index. (Separate processes and SIGKILL: inbox-processes.test.ts.)
 */
import { resultOf } from "../../test/support/endpoint-handlers.js";
import { events } from "@dttracker-dobbletap/contracts";
import { afterAll, describe, expect, it, vi } from "vitest";
import { ContractError } from "../errors/index.js";
import { createWebhookHandler, type WebhookHandler } from "../receiver/create-webhook-handler.js";
import { createSigner, generateSecret } from "../signing/index.js";
import type { Database, Queryable } from "./database.js";
import { inboxStatements, postgresDedupStore, type PostgresDedupStoreOptions } from "./dedup-store.js";
import { migrate } from "./migrate.js";
import { drivers, openTestDb, type TestDb } from "../../test/support/postgres-databases.js";

const secret = generateSecret();
const signer = createSigner(secret);
const opened: TestDb[] = [];
afterAll(async () => {
  await Promise.all(opened.map((t) => t.close()));
});

async function open(driver: (typeof drivers)[number]): Promise<Database> {
  const t = await openTestDb(driver, { poolSize: 30 });
  opened.push(t);
  await migrate(t.db);
  await t.db.query("CREATE TABLE effects (seq serial PRIMARY KEY, offer_id text NOT NULL)");
  return t.db;
}

type Mode = { before?: () => Promise<void>; after?: (tx: Queryable) => Promise<void> };

/** A transactional receiver whose offer_sent handler inserts one effect row through tx. */
function receiver(db: Database, mode: Mode = {}, options: Partial<PostgresDedupStoreOptions> & { handlerTimeoutMs?: number; duplicateWaitMs?: number } = {}) {
  const { handlerTimeoutMs, duplicateWaitMs, ...storeOptions } = options;
  const handler = vi.fn(async ({ data: { offer } }: { data: { offer: { id: string } } }, { tx }: { tx: Queryable }) => {
    await mode.before?.();
    await tx.query("INSERT INTO effects (offer_id) VALUES ($1)", [offer.id]);
    await mode.after?.(tx);
    return { type: "offer" as const, id: offer.id, status: "offered" as const };
  });
  const handle = createWebhookHandler({
    secrets: secret,
    dedupStore: postgresDedupStore({ db, ...storeOptions }),
    transactional: true,
    handlerTimeoutMs,
    duplicateWaitMs,
    endpoint: "dobbletap.webhooks",
    handlers: {
      offer_sent: handler,
      campaign_created: () => resultOf("campaign_created"),
      activation_updated: () => resultOf("activation_updated"),
      activation_cancelled: () => resultOf("activation_cancelled"),
    },
    onError: () => {},
  });
  return { handle, handler };
}

function offerEvent(overrides: { amountMinor?: number } = {}) {
  const example = structuredClone(events.offer_sent.example);
  example.id = crypto.randomUUID();
  example.data.offer.id = crypto.randomUUID();
  if (overrides.amountMinor !== undefined) example.data.offer.amount.amountMinor = overrides.amountMinor;
  return example;
}

async function deliver(handle: WebhookHandler, event: { id: string }): Promise<{ status: number; body: any; retryAfter: string | null }> {
  const body = JSON.stringify(event);
  const headers = await signer.headers(event.id, body);
  const response = await handle(
    new Request("http://127.0.0.1/webhooks/dttracker", { method: "POST", headers: { "content-type": "application/json", ...headers }, body }),
  );
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get("retry-after") };
}

async function effects(db: Database, offerId: string): Promise<number> {
  return (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM effects WHERE offer_id = $1", [offerId])).rows[0]!.n;
}
async function remembered(db: Database, id: string): Promise<number> {
  return (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_kit.inbox WHERE id = $1", [id])).rows[0]!.n;
}

describe.each(drivers)("postgresDedupStore({ db }) on %s", (driver) => {
  it("four receivers on one database, 20 concurrent copies of one event: the handler's row exists once, every answer the same record", async () => {
    const db = await open(driver);
    const slow: Mode = { after: () => new Promise((resolve) => setTimeout(resolve, 30)) };
    const receivers = [receiver(db, slow), receiver(db, slow), receiver(db, slow), receiver(db, slow)];
    const event = offerEvent();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, index) => deliver(receivers[index % 4]!.handle, event)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    for (const answer of answers) expect(answer.body.result).toEqual({ type: "offer", id: event.data.offer.id, status: "offered" });
    expect(answers.filter((answer) => answer.body.duplicate !== true)).toHaveLength(1);
    expect(receivers.reduce((calls, r) => calls + r.handler.mock.calls.length, 0)).toBe(1);
    expect(await effects(db, event.data.offer.id)).toBe(1);
    expect(await remembered(db, event.id)).toBe(1);
  });

  it("a handler that inserts a row then throws: no row, no remembered id; the retry inserts it once", async () => {
    const db = await open(driver);
    let fail = true;
    const { handle } = receiver(db, {
      after: async () => {
        if (fail) throw new ContractError("CAMPAIGN_NOT_FOUND", "The campaign has not arrived yet.");
      },
    });
    const event = offerEvent();
    expect((await deliver(handle, event)).status).toBe(404);
    expect([await effects(db, event.data.offer.id), await remembered(db, event.id)]).toEqual([0, 0]);
    fail = false;
    const retry = await deliver(handle, event);
    expect([retry.status, retry.body.duplicate]).toEqual([200, undefined]);
    expect([await effects(db, event.data.offer.id), await remembered(db, event.id)]).toEqual([1, 1]);
  });

  it("the same id with other data after a success → 409 INVALID_STATE from another receiver, nothing inserted", async () => {
    const db = await open(driver);
    const [first, second] = [receiver(db), receiver(db)];
    const event = offerEvent();
    expect((await deliver(first.handle, event)).status).toBe(200);
    const other = { ...event, data: { offer: { ...event.data.offer, amount: { ...event.data.offer.amount, amountMinor: 100 } } } };
    const refused = await deliver(second.handle, other);
    expect([refused.status, refused.body.error.code]).toEqual([409, "INVALID_STATE"]);
    expect(second.handler).not.toHaveBeenCalled();
    expect(await effects(db, event.data.offer.id)).toBe(1);
  });

  it("a handler that never finishes: 500 INTERNAL within handlerTimeoutMs, its insert rolled back, tx refused afterwards; the retry succeeds", async () => {
    const db = await open(driver);
    let hang = true;
    let lateTx: Queryable | undefined;
    const { handle } = receiver(
      db,
      {
        after: async (tx) => {
          lateTx = tx;
          if (hang) await new Promise((resolve) => setTimeout(resolve, 1_500));
        },
      },
      { handlerTimeoutMs: 200 },
    );
    const event = offerEvent();
    const started = performance.now();
    const timedOut = await deliver(handle, event);
    expect([timedOut.status, timedOut.body.error.code]).toEqual([500, "INTERNAL"]);
    expect(performance.now() - started).toBeLessThan(1_200);
    hang = false;
    const retry = await deliver(handle, event);
    expect([retry.status, retry.body.duplicate]).toEqual([200, undefined]);
    // The first handler wakes up later: its transaction is gone, and its tx refuses to run anything.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await expect(lateTx!.query("SELECT 1")).rejects.toThrow(/transaction is over/);
    expect([await effects(db, event.data.offer.id), await remembered(db, event.id)]).toEqual([1, 1]);
  });

  it("a copy that waits past duplicateWaitMs → 500 INTERNAL with Retry-After, the handler not run", async () => {
    const db = await open(driver);
    let open_!: () => void;
    const gate = new Promise<void>((resolve) => (open_ = resolve));
    const holder = receiver(db, { after: () => gate });
    const copy = receiver(db, {}, { duplicateWaitMs: 200 });
    const event = offerEvent();
    const first = deliver(holder.handle, event);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const waited = await deliver(copy.handle, event);
    expect([waited.status, waited.body.error.code, waited.retryAfter]).toEqual([500, "INTERNAL", "1"]);
    expect(copy.handler).not.toHaveBeenCalled();
    open_();
    expect((await first).status).toBe(200);
    expect((await deliver(copy.handle, event)).body.duplicate).toBe(true);
  });

  it("retention: a row older than retentionDays is forgotten (the event runs again), a younger one is not", async () => {
    const db = await open(driver);
    const { handle, handler } = receiver(db, {}, { retentionDays: 7 });
    const [old, young] = [offerEvent(), offerEvent()];
    await deliver(handle, old);
    await deliver(handle, young);
    await db.query("UPDATE webhook_kit.inbox SET remembered_at = now() - interval '7 days 1 minute' WHERE id = $1", [old.id]);
    await db.query("UPDATE webhook_kit.inbox SET remembered_at = now() - interval '6 days 23 hours' WHERE id = $1", [young.id]);
    expect((await deliver(handle, young)).body.duplicate).toBe(true);
    const again = await deliver(handle, old);
    expect([again.status, again.body.duplicate]).toEqual([200, undefined]);
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('synchronousCommit: the server\'s setting unless asked; "off" and "on" for that delivery\'s transaction only', async () => {
    const db = await open(driver);
    const setting = async (on: Queryable) => (await on.query<{ mode: string }>("SELECT current_setting('synchronous_commit') AS mode")).rows[0]!.mode;
    const server = await setting(db);
    const seen: string[] = [];
    const record = { after: async (tx: Queryable) => void seen.push(await setting(tx)) };
    for (const synchronousCommit of [undefined, "off", "on"] as const) {
      expect((await deliver(receiver(db, record, { synchronousCommit }).handle, offerEvent())).status).toBe(200);
    }
    // SET LOCAL: a connection the pool hands out afterwards is back to the server's setting.
    expect([...seen, await setting(db)]).toEqual([server, "off", "on", server]);
    expect(() => postgresDedupStore({ db, synchronousCommit: "local" as never })).toThrow(/synchronousCommit must be "on" or "off"/);
  });

  it("sweep() deletes at most sweepBatch expired rows per call, oldest first, and never a live one", async () => {
    const db = await open(driver);
    const store = postgresDedupStore({ db, sweepBatch: 100, sweepEveryMs: 0 });
    await db.query(
      "INSERT INTO webhook_kit.inbox (id, event, digest, answer, remembered_at) " +
        "SELECT 'old-' || n, 'offer_sent', 'd', '{}'::json, now() - interval '8 days' - n * interval '1 second' FROM generate_series(1, 250) AS n",
    );
    await db.query(
      "INSERT INTO webhook_kit.inbox (id, event, digest, answer, remembered_at) SELECT 'new-' || n, 'offer_sent', 'd', '{}'::json, now() FROM generate_series(1, 50) AS n",
    );
    expect([await store.sweep(), await store.sweep(), await store.sweep(), await store.sweep()]).toEqual([100, 100, 50, 0]);
    const left = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_kit.inbox");
    expect(left.rows[0]!.n).toBe(50);
  });

  it("postgresDedupStore({ db }) refuses a value that is not a Database, and bad numbers", () => {
    expect(() => postgresDedupStore({ db: {} as never })).toThrow(/fromPg/);
    expect(() =>
      postgresDedupStore({ db: { driver: "pg", query: async () => ({ rows: [], rowCount: 0 }), transaction: async () => {} } as never, retentionDays: 0 }),
    ).toThrow(RangeError);
  });
});

describe("postgresDedupStore on the real server: the sweep's cost", () => {
  it("the sweep reads the oldest rows through the remembered_at index, not the whole table", async () => {
    const db = await open("pg");
    await db.query(
      "INSERT INTO webhook_kit.inbox (id, event, digest, answer, remembered_at) " +
        "SELECT 'row-' || n, 'offer_sent', 'd', '{}'::json, now() - n * interval '1 minute' FROM generate_series(1, 20000) AS n",
    );
    await db.query("ANALYZE webhook_kit.inbox");
    const { rows } = await db.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${inboxStatements("webhook_kit").sweep}`, [7 * 86_400, 500]);
    const plan = JSON.stringify(rows[0]!["QUERY PLAN"]);
    expect(plan).toMatch(/"Index Name":"inbox_remembered_at"/);
    expect(plan).not.toMatch(/Seq Scan/);
  });
});
