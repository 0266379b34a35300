/**
 * Receiver throughput with the Postgres dedup store against the in-memory one (issue 11): the same
 * receiver (node:http + createWebhookHandler, a handler with no writes of its own) in a child
 * process, once with createMemoryDedupStore() and once with postgresDedupStore({ db }) and
 * transactional: true over a pg pool, on a real PostgreSQL server started for the run with fsync
 * and synchronous commit on (as in production). Every request is a new delivery (fresh ids,
 * pre-signed), so each one claims, commits and is remembered. 10 and 50 connections, interleaved
 * rounds, medians; p99 reported. Timed per request (bench/lib/http-load.ts), not with autocannon,
 * whose `amount` runs end on its 1-second ticks.
 */
import { join } from "node:path";
import pg from "pg";
import { startPostgresServer } from "../test/support/postgres-server.js";
import { startChildServer, type ChildServer } from "./lib/child-server.js";
import { secretBytes, type OfferSentEnvelope } from "./lib/fixtures.js";
import { median } from "./lib/interleaved.js";
import { contractsDist, importDist, repoRoot } from "./lib/paths.js";
import { formatInt, formatRatio } from "./lib/table.js";
import type { Measurement, Row } from "./lib/types.js";
import { timedLoad, type TimedLoad as LoadResult } from "./lib/http-load.js";
import { presign } from "./lib/fixtures.js";

type Contracts = typeof import("../packages/contracts/src/index.js");
type Postgres = typeof import("../packages/sdk/src/postgres/index.js");

const script = join(repoRoot, "bench/servers/inbox-receiver.mjs");
const PATH = "/webhooks/dttracker";

export async function measureInbox(options: { rounds: number; requestsPerRun: number; secret: string }): Promise<Measurement> {
  const contracts = await importDist<Contracts>(contractsDist);
  const { fromPg, migrate } = await importDist<Postgres>(join(repoRoot, "packages/sdk/dist/postgres.js"));
  const example = contracts.events.offer_sent.example as OfferSentEnvelope;
  const key = secretBytes(options.secret);
  const postgres = await startPostgresServer({ durable: true });
  const servers: ChildServer[] = [];
  try {
    const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    await migrate(fromPg(pool));
    const memory = await startChildServer(process.execPath, (port) => [script, String(port)], { STORE: "memory", WEBHOOK_SECRET: options.secret });
    servers.push(memory);
    const onPostgres = await startChildServer(process.execPath, (port) => [script, String(port)], {
      STORE: "postgres",
      WEBHOOK_SECRET: options.secret,
      DATABASE_URL: postgres.url,
    });
    servers.push(onPostgres);

    const rows: Row[] = [];
    const notes: string[] = [];
    const group = "receiver dedup store (new offer_sent each)";
    let failures = 0;
    for (const connections of [10, 50]) {
      const run = (server: ChildServer): Promise<LoadResult> =>
        timedLoad(server.url, PATH, presign(example, key, options.requestsPerRun), connections);
      await run(memory);
      await run(onPostgres);
      const rounds: Array<{ memory: LoadResult; postgres: LoadResult }> = [];
      for (let round = 0; round < options.rounds; round++) {
        if (round % 2 === 0) {
          const first = await run(memory);
          rounds.push({ memory: first, postgres: await run(onPostgres) });
        } else {
          const first = await run(onPostgres);
          rounds.push({ postgres: first, memory: await run(memory) });
        }
      }
      failures += rounds.reduce((sum, round) => sum + round.memory.non2xx + round.memory.errors + round.postgres.non2xx + round.postgres.errors, 0);
      const pick = (side: "memory" | "postgres", field: keyof LoadResult) => median(rounds.map((round) => round[side][field]));
      const ratio = median(rounds.map((round) => round.postgres.requestsPerSecond / round.memory.requestsPerSecond));
      rows.push(
        {
          group,
          name: `in-memory store, ${connections} connections`,
          value: `${formatInt(pick("memory", "requestsPerSecond"))} req/s`,
          ratio: `p50 ${pick("memory", "p50")} ms, p99 ${pick("memory", "p99")} ms`,
        },
        {
          group,
          name: `postgresDedupStore, transactional, ${connections} connections`,
          value: `${formatInt(pick("postgres", "requestsPerSecond"))} req/s`,
          ratio: `${formatRatio(ratio)} in-memory; p50 ${pick("postgres", "p50")} ms, p99 ${pick("postgres", "p99")} ms`,
          ...(connections === 50 ? { target: "≥ 0.50× in-memory", pass: ratio >= 0.5 && failures === 0 } : {}),
        },
      );
    }
    // The floor: the same four statements straight from pg in this process, no HTTP, no receiver.
    const floorPool = new pg.Pool({ connectionString: postgres.url, max: 50 });
    await floorPool.query("CREATE TABLE IF NOT EXISTS floor (id text PRIMARY KEY, answer json, at timestamptz)");
    const floorCount = options.requestsPerRun;
    let issued = 0;
    const floorStarted = performance.now();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        const client = await floorPool.connect();
        try {
          while (issued++ < floorCount) {
            await client.query("BEGIN");
            await client.query("INSERT INTO floor (id, at) VALUES ($1, clock_timestamp())", [crypto.randomUUID()]);
            await client.query("UPDATE floor SET answer = $2::json WHERE id = $1", [crypto.randomUUID(), "{}"]);
            await client.query("COMMIT");
          }
        } finally {
          client.release();
        }
      }),
    );
    const floorRate = floorCount / ((performance.now() - floorStarted) / 1000);
    await floorPool.end();
    rows.push({
      group,
      name: "reference: BEGIN, INSERT, UPDATE, COMMIT from pg, 50 connections (no HTTP, no receiver)",
      value: `${formatInt(floorRate)} tx/s`,
    });
    const remembered = (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_kit.inbox")).rows[0]!.n;
    await pool.end();
    notes.push(
      `Dedup store: node:http keep-alive load (bench/lib/http-load.ts: one worker per connection, every request timed) at 10 and 50 connections, ${options.rounds} interleaved rounds of ${formatInt(options.requestsPerRun)} new deliveries per ` +
        "server (after a warm-up each), receivers in child processes (bench/servers/inbox-receiver.mjs), PostgreSQL on the same 2 cores with " +
        `fsync and synchronous_commit on; pg pool of 60. ${formatInt(remembered)} ids were remembered in webhook_kit.inbox; ` +
        `${failures === 0 ? "every answer was 200" : `${failures} answers were not 200 (the target row fails)`}. ` +
        "Each Postgres delivery is BEGIN, the claim INSERT, the answer UPDATE, COMMIT (one fsync).",
    );
    return { rows, notes };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await postgres.stop();
  }
}
