/**
 * Receiver throughput with the Postgres dedup store against the in-memory one (issue 11): the same
 * receiver (node:http + toNodeListener(createWebhookHandler), a handler with no writes of its own) in
 * child processes, with createMemoryDedupStore() and with postgresDedupStore({ db }) and
 * transactional: true, on a real PostgreSQL server started for the run with fsync and synchronous
 * commit on (as in production). Every request is a new delivery (fresh ids, pre-signed), so each one
 * claims, commits and is remembered. 10 and 50 connections, interleaved fixed-time rounds with
 * autocannon (lib/server-load.ts: a generator cheap enough per request that the in-memory figure is
 * the receiver's, not the generator's), medians and IQR of the ratios; p99 reported.
 *
 * At 50 connections also the opt-in `synchronousCommit: "off"`, and for each variant the CPU per
 * delivery of the receiver, of PostgreSQL (every backend) and of the load generator, which says
 * where the time goes whatever the machine's load. The ceiling: pgbench running the
 * store's own statements (the same transaction: BEGIN, claim, complete, COMMIT) with 50 clients and
 * the whole machine — no HTTP, no receiver, no load generator — unprepared as pg sends them, and
 * prepared.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inboxStatements } from "../packages/sdk/src/postgres/dedup-store.js";
import { startPostgresServer } from "../test/support/postgres-server.js";
import { startChildServer, type ChildServer } from "./lib/child-server.js";
import { presign, secretBytes, type OfferSentEnvelope } from "./lib/fixtures.js";
import { drive, type RunResult, type ServerUnderLoad } from "./lib/server-load.js";
import { median, spread } from "./lib/interleaved.js";
import { contractsDist, importDist, repoRoot } from "./lib/paths.js";
import { formatInt, formatRatioSpread } from "./lib/table.js";
import type { Measurement, Row } from "./lib/types.js";
import { parentOf, processCpuMicros, processTreeCpu, treeCpuBetween } from "./lib/pinning.js";

type Contracts = typeof import("../packages/contracts/src/index.js");
type Postgres = typeof import("../packages/sdk/src/postgres/index.js");

const script = join(repoRoot, "bench/servers/inbox-receiver.mjs");
const PATH = "/webhooks/dttracker";
const POOL_MAX = 60;
const cores = cpus().length;

/** A run, with the CPU µs per delivery of each party: the receiver, PostgreSQL (every backend), the load generator. */
type Measured = RunResult & { receiverCpu: number; databaseCpu: number; loadCpu: number };

interface Variant {
  name: string;
  env: Record<string, string>;
  connections: number[];
}

/** The store's transaction as a pgbench script: its own statements, constants for the parameters. */
function pgbenchScript(): string {
  const sql = inboxStatements("webhook_kit");
  const id = "('bench-' || :r)";
  const claim = sql.claim.replace("$1", id).replace("$2", "604800").replace("$3", "'5000ms'").replaceAll("$4", "'25000ms'");
  // pgbench reads `:name` as a variable, so the answer is built rather than written as a JSON literal.
  const answer =
    "json_build_object('success', true, 'eventId', 'a7e3c9d1-5b2f-4e8a-9c6d-3f1b7e5a9c2d', 'result', json_build_object('type', 'offer', 'id', 'e4b8d2f6-9a1c-4e3b-8d5f-7c9a1e3b5d7f', 'status', 'offered'))::text";
  const complete = sql.complete.replace("$1", id).replace("$2", "'offer_sent'").replace("$3", "'v1-0123456789abcdef'").replace("$4", answer);
  return ["\\set r random(1, 9000000000000000)", "BEGIN;", `${claim};`, `${complete};`, "COMMIT;", ""].join("\n");
}

function pgbench(url: string, mode: "extended" | "prepared", clients: number, seconds: number): { tps: number; latencyMs: number } | string {
  const dir = mkdtempSync(join(tmpdir(), "bench-pgbench-"));
  const file = join(dir, "inbox.sql");
  writeFileSync(file, pgbenchScript());
  const run = spawnSync("pgbench", ["-n", "-f", file, "-M", mode, "-c", String(clients), "-j", "2", "-T", String(seconds), url], { encoding: "utf8" });
  if (run.error || run.status !== 0) return `pgbench failed: ${run.error?.message ?? run.stderr.split("\n")[0]}`;
  const tps = Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1]);
  const latencyMs = Number(/latency average = ([\d.]+)/.exec(run.stdout)?.[1]);
  return { tps, latencyMs };
}

export async function measureInbox(options: { rounds: number; seconds: number; secret: string }): Promise<Measurement> {
  const contracts = await importDist<Contracts>(contractsDist);
  const { fromPg, migrate } = await importDist<Postgres>(join(repoRoot, "packages/sdk/dist/postgres.js"));
  const example = contracts.events.offer_sent.example as OfferSentEnvelope;
  const key = secretBytes(options.secret);
  const postgres = await startPostgresServer({ durable: true });
  const servers: ChildServer[] = [];
  try {
    const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
    await migrate(fromPg(pool));
    const backend = (await pool.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
    const postmaster = parentOf(backend);
    const base = { WEBHOOK_SECRET: options.secret, DATABASE_URL: postgres.url, POOL_MAX: String(POOL_MAX) };
    const variants: Variant[] = [
      { name: "in-memory store", env: { STORE: "memory" }, connections: [10, 50] },
      { name: "postgresDedupStore over pg", env: { STORE: "postgres", DRIVER: "pg" }, connections: [10, 50] },
      { name: "prototype (not the SDK): the store over pg with prepared statements", env: { STORE: "postgres", DRIVER: "pg-prepared" }, connections: [50] },
      {
        name: 'postgresDedupStore over pg, synchronousCommit: "off" (opt-in, not durable)',
        env: { STORE: "postgres", DRIVER: "pg", SYNC_COMMIT: "off" },
        connections: [50],
      },
    ];
    const started = new Map<Variant, ChildServer>();
    for (const variant of variants) {
      const server = await startChildServer(process.execPath, (port) => [script, String(port)], { ...base, ...variant.env });
      servers.push(server);
      started.set(variant, server);
    }

    const rows: Row[] = [];
    const group = "receiver dedup store (new offer_sent each, real PostgreSQL)";
    let failures = 0;
    let repeats = 0;
    for (const connections of [10, 50]) {
      const here = variants.filter((variant) => variant.connections.includes(connections));
      const targets = new Map<Variant, ServerUnderLoad>(
        here.map((variant) => [
          variant,
          { name: variant.name, server: started.get(variant)!, path: PATH, requests: (count) => presign(example, key, count), prepare: 40_000 },
        ]),
      );
      const run = async (variant: Variant, seconds = options.seconds): Promise<Measured> => {
        const target = targets.get(variant)!;
        const pid = target.server.process.pid!;
        const before = { receiver: processCpuMicros(pid), database: processTreeCpu(postmaster), load: process.cpuUsage() };
        const result = await drive(target, connections, seconds);
        const load = process.cpuUsage(before.load);
        const count = Math.max(1, result.total);
        return {
          ...result,
          receiverCpu: (processCpuMicros(pid) - before.receiver) / count,
          databaseCpu: treeCpuBetween(before.database, processTreeCpu(postmaster)) / count,
          loadCpu: (load.user + load.system) / count,
        };
      };
      // The warm-up tells each variant's rate: sign that many fresh deliveries per run (+30%).
      for (const variant of here) {
        const warm = await run(variant, 1);
        targets.get(variant)!.prepare = Math.max(1_000, Math.ceil(warm.requestsPerSecond * options.seconds * 1.3));
      }
      const rounds: Measured[][] = here.map(() => []);
      for (let round = 0; round < options.rounds; round++) {
        const order = here.map((_, index) => (round % 2 === 0 ? index : here.length - 1 - index));
        for (const index of order) rounds[index]!.push(await run(here[index]!));
      }
      failures += rounds.flat().reduce((sum, result) => sum + result.notOk + result.errors, 0);
      repeats += rounds.flat().reduce((sum, result) => sum + result.repeats, 0);
      const memory = rounds[0]!;
      here.forEach((variant, index) => {
        const results = rounds[index]!;
        const pick = (field: keyof Measured) => median(results.map((result) => result[field]));
        const ratio = spread(results.map((result, round) => result.requestsPerSecond / memory[round]!.requestsPerSecond));
        const latency = `p50 ${pick("p50")} ms, p99 ${pick("p99")} ms`;
        const isTarget = connections === 50 && variant.env.STORE === "postgres" && variant.env.DRIVER === "pg" && variant.env.SYNC_COMMIT === undefined;
        rows.push({
          group,
          name: `${variant.name}, ${connections} connections`,
          value: `${formatInt(pick("requestsPerSecond"))} req/s`,
          ratio: index === 0 ? latency : `${formatRatioSpread(ratio)} in-memory; ${latency}`,
          ...(isTarget ? { target: "≥ 0.50× in-memory", pass: ratio.median >= 0.5 && failures === 0 } : {}),
        });
        if (connections === 50) {
          const [receiverCpu, databaseCpu, loadCpu] = [pick("receiverCpu"), pick("databaseCpu"), pick("loadCpu")];
          const total = receiverCpu + databaseCpu + loadCpu;
          rows.push({
            group,
            name: `  CPU per delivery: ${variant.name}`,
            value: `${Math.round(total)} µs`,
            ratio:
              `receiver ${Math.round(receiverCpu)} + PostgreSQL ${Math.round(databaseCpu)} + load generator ${Math.round(loadCpu)} µs; ` +
              `${cores} cores allow ≤ ${formatInt((cores * 1e6) / total)} req/s`,
          });
        }
      });
    }

    // The ceiling of the database alone for this transaction, with both cores to itself.
    const ceilings = (["extended", "prepared"] as const).map((mode) => [mode, pgbench(postgres.url, mode, 50, 4)] as const);
    for (const [mode, result] of ceilings) {
      rows.push({
        group,
        name: `ceiling: pgbench, the store's transaction, 50 clients, ${mode === "extended" ? "unprepared (as pg sends it)" : "prepared"}`,
        value: typeof result === "string" ? "not run" : `${formatInt(result.tps)} tx/s`,
        ratio: typeof result === "string" ? result : `latency ${result.latencyMs.toFixed(1)} ms; no HTTP, no receiver, no load generator`,
      });
    }
    const remembered = (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_kit.inbox")).rows[0]!.n;
    await pool.end();
    return {
      rows,
      notes: [
        `Dedup store: autocannon at 10 and 50 connections, ${options.rounds} interleaved rounds of ${options.seconds} s per ` +
          `variant (after a 1 s warm-up each; ${repeats === 0 ? "every request a new delivery" : `${formatInt(repeats)} deliveries repeated when a run outlasted the prepared ones`}), receivers in child processes (bench/servers/inbox-receiver.mjs, a pool of ${POOL_MAX}), PostgreSQL on the same cores with ` +
          `fsync and synchronous_commit on, not pinned (the database, the receiver and the load generator share the machine as they would on one host). ${formatInt(remembered)} ids were remembered in webhook_kit.inbox; ` +
          `${failures === 0 ? "every answer was 200" : `${failures} answers were not 200 (the target row fails)`}. ` +
          "Each Postgres delivery is 4 round trips on one connection: BEGIN, the claim INSERT, the answer UPDATE, COMMIT (one WAL flush). The prototype row is a bench-only Database that names each statement so pg prepares it once per connection: what an opt-in in fromPg would give. " +
          "The pgbench ceiling runs the store's own statements (inboxStatements, parameters as constants) with `-c 50 -j 2 -T 4` against the same server.",
      ],
    };
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await postgres.stop();
  }
}
