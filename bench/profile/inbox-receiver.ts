/**
 * Profiles the receiver with postgresDedupStore (pg, transactional) under load: a durable PostgreSQL
 * server, the bench's inbox receiver under `node --cpu-prof`, 4,000 new deliveries over 50
 * connections, then the profile's top functions. Usage (after `pnpm build`):
 *   tsx bench/profile/inbox-receiver.ts [pg|postgres|memory]
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { startPostgresServer } from "../../test/support/postgres-server.js";
import { freePort, waitForFirstAnswer } from "../lib/child-server.js";
import { presign, secretBytes, type OfferSentEnvelope } from "../lib/fixtures.js";
import { timedLoad } from "../lib/http-load.js";
import { contractsDist, importDist, repoRoot } from "../lib/paths.js";

type Contracts = typeof import("../../packages/contracts/src/index.js");
type Postgres = typeof import("../../packages/sdk/src/postgres/index.js");
const driver = process.argv[2] ?? "pg";
const contracts = await importDist<Contracts>(contractsDist);
const { fromPg, migrate } = await importDist<Postgres>(join(repoRoot, "packages/sdk/dist/postgres.js"));
const { generateSecret } = await importDist<typeof import("../../packages/sdk/src/index.js")>(join(repoRoot, "packages/sdk/dist/index.js"));
const secret = generateSecret();
const server = await startPostgresServer({ durable: true });
const dir = join(repoRoot, ".tmp/prof-inbox");
rmSync(dir, { recursive: true, force: true });
try {
  const pool = new pg.Pool({ connectionString: server.url, max: 2 });
  await migrate(fromPg(pool));
  await pool.end();
  const port = await freePort();
  const env = { ...process.env, WEBHOOK_SECRET: secret, DATABASE_URL: server.url, STORE: driver === "memory" ? "memory" : "postgres", DRIVER: driver };
  const child = spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, join(repoRoot, "bench/servers/inbox-receiver.mjs"), String(port)], {
    stdio: "ignore",
    env,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForFirstAnswer(`${url}/`, performance.now(), 10_000, child);
  const example = contracts.events.offer_sent.example as OfferSentEnvelope;
  const result = await timedLoad(url, "/webhooks/dttracker", presign(example, secretBytes(secret), 4_000), 50);
  console.log(`${Math.round(result.requestsPerSecond)} req/s, p99 ${result.p99} ms, ${result.non2xx} not 2xx`);
  await new Promise((resolve) => {
    child.once("exit", resolve);
    child.kill("SIGINT");
  });
  const file = readdirSync(dir).find((name) => name.endsWith(".cpuprofile"))!;
  spawnSync(process.execPath, ["--import", "tsx", join(repoRoot, "bench/profile/top-functions.ts"), join(dir, file), "30"], { stdio: "inherit" });
} finally {
  await server.stop();
}
