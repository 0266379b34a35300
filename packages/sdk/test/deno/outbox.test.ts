/**
 * The idea: DTTracker's outbox must work where it runs, in a Supabase Edge Function (Deno) on
 * postgres.js. This test runs outbox-client.ts under the real deno binary against the real
 * PostgreSQL server: it migrates a fresh database, enqueues a campaign and its offer in one
 * committed transaction and another offer in a transaction that rolls back, and runs the dispatcher
 * against a mock Dobbletap started here. From Node we then check what the mock holds (the campaign
 * and the offer, each received exactly once; the rolled-back offer never) and what `outbox.status`
 * says (delivered, with the receiver's record).
 *
 * Deno loads the SDK's built dist (deno.json), postgres.js from the workspace's node_modules, and
 * fetches nothing. Without dist this test builds contracts and sdk once.
 */
import { startMockServer, type RunningMockServer } from "@dttracker-dobbletap/mock-server";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/postgres.js";
import { fromPg } from "../../src/postgres/adapters.js";
import { createOutbox } from "../../src/postgres/outbox.js";
import { generateSecret } from "../../src/signing/index.js";
import { requireDeno, runSdkDeno } from "../support/deno.js";

interface DenoResult {
  migrated: { applied: string[] };
  campaignId: string;
  offerId: string;
  campaignEventId: string;
  offerEventId: string;
  syncStatus: unknown;
  rolledBackOfferId: string;
  rolledBackEventId: string;
  rollback: string;
  runs: Array<{ claimed: number; delivered: number; retried: number; dead: number }>;
}

const secret = generateSecret();
let database: { url: string; drop(): Promise<void> };
let pool: pg.Pool;
let mock: RunningMockServer;
let result: DenoResult;
let output = "";

beforeAll(async () => {
  requireDeno();
  database = await createTestDatabase("deno_outbox");
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  mock = await startMockServer({ as: "dobbletap", port: 0, secret });
  const run = await runSdkDeno({
    entry: "outbox-client.ts",
    allow: ["--allow-net=127.0.0.1", "--allow-env", "--allow-sys", "--allow-read"],
    env: { WEBHOOK_SECRET: secret, DATABASE_URL: database.url, DOBBLETAP_URL: mock.url },
    timeoutMs: 20_000,
  });
  output = run.output;
  if (run.code !== 0) throw new Error(`deno outbox-client.ts exited with ${run.code}:\n${output}`);
  const line = /^result (.+)$/m.exec(output);
  if (!line) throw new Error(`deno printed no result line:\n${output}`);
  result = JSON.parse(line[1]!) as DenoResult;
}, 60_000);

afterAll(async () => {
  await mock?.close();
  await pool?.end();
  await database?.drop();
});

const received = (eventId: string) => mock.events.list().filter((entry) => entry.id === eventId);

describe("the outbox under Deno on postgres.js, delivering to the mock Dobbletap", () => {
  it("migrate applied the outbox migration in Deno, and enqueue answered retryQueued: true", () => {
    expect(result.migrated.applied.some((file) => /outbox/.test(file))).toBe(true);
    expect(result.syncStatus).toEqual({ synced: false, error: null, retryQueued: true });
  });

  it("runOnce delivered the campaign and then its offer, each received exactly once", () => {
    expect(result.runs.reduce((sum, run) => sum + run.delivered, 0)).toBe(2);
    expect(result.runs.reduce((sum, run) => sum + run.retried + run.dead, 0)).toBe(0);
    expect(received(result.campaignEventId)).toHaveLength(1);
    expect(received(result.offerEventId)).toHaveLength(1);
    expect(mock.state.campaigns.get(result.campaignId)?.status).toBe("active");
    const offers = [...mock.state.offers.values()].filter((offer) => offer.campaignId === result.campaignId);
    expect(offers.map((offer) => [offer.id, offer.status])).toEqual([[result.offerId, "offered"]]);
  });

  it("outbox.status, read from Node, says delivered with the mock's offer record", async () => {
    const outbox = createOutbox({ db: fromPg(pool) });
    const status = await outbox.status(result.offerEventId);
    expect(status).toMatchObject({ state: "delivered", tries: 1, lastError: null });
    expect(status?.attempts).toHaveLength(1);
    expect(status?.result).toEqual({ type: "offer", id: mock.state.offers.get(result.offerId)?.recordId, status: "offered" });
    expect((await outbox.status(result.campaignEventId))?.state).toBe("delivered");
  });

  it("the enqueue whose transaction rolled back left no row and was never sent", async () => {
    expect(result.rollback).toBe("insufficient balance");
    expect(result.rolledBackEventId).not.toBe("");
    expect(await createOutbox({ db: fromPg(pool) }).status(result.rolledBackEventId)).toBeUndefined();
    expect(received(result.rolledBackEventId)).toHaveLength(0);
    expect(mock.state.offers.has(result.rolledBackOfferId)).toBe(false);
    expect((await pool.query("SELECT count(*)::int AS n FROM webhook_kit.outbox")).rows[0].n).toBe(2);
    expect(output).not.toContain(secret);
  });
});
