/**
 * The idea: a Supabase Edge Function keeps its dedup memory and its own rows in Postgres. This test
 * runs postgres-server.ts (Deno.serve + postgres.js + postgresDedupStore + a transactional handler)
 * under the real deno binary against the real PostgreSQL server, and delivers to it from Node:
 * 10 concurrent copies of one event insert one row; a handler that inserts then throws leaves
 * nothing, and its retry inserts once.
 *
 * Deno loads the SDK's built dist (deno.json), postgres.js from the workspace's node_modules, and
 * fetches nothing. CI builds before testing; without dist this test builds contracts and sdk once.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { events } from "@dttracker-dobbletap/contracts";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/postgres.js";
import { fromPg } from "../../src/postgres/adapters.js";
import { migrate } from "../../src/postgres/migrate.js";
import { createSigner, generateSecret } from "../../src/signing/index.js";

const here = dirname(fileURLToPath(import.meta.url));
const sdkRoot = join(here, "..", "..");
const workspaceRoot = join(sdkRoot, "..", "..");
const distFiles = [join(sdkRoot, "dist", "postgres.js"), join(sdkRoot, "dist", "index.js"), join(sdkRoot, "..", "contracts", "dist", "index.js")];
const denoBinary = [join(sdkRoot, "node_modules", "deno", "deno"), join(sdkRoot, "node_modules", ".bin", "deno")].find((path) => existsSync(path));

const secret = generateSecret();
const signer = createSigner(secret);
let database: { url: string; drop(): Promise<void> };
let pool: pg.Pool;
let deno: ChildProcess | undefined;
let baseUrl = "";
let output = "";

beforeAll(async () => {
  if (denoBinary === undefined) throw new Error("the deno binary is not installed (packages/sdk devDependency `deno`)");
  if (!distFiles.every((file) => existsSync(file))) {
    const built = spawnSync("pnpm", ["--filter", "@dttracker-dobbletap/contracts", "--filter", "@dttracker-dobbletap/sdk", "build"], {
      cwd: workspaceRoot,
      encoding: "utf8",
      timeout: 120_000,
    });
    if (built.status !== 0) throw new Error(`dist is missing and building it failed: ${(built.stderr || built.stdout).slice(-500)}`);
  }
  database = await createTestDatabase("deno");
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await migrate(fromPg(pool));
  await pool.query("CREATE TABLE effects (seq serial PRIMARY KEY, offer_id text NOT NULL)");
  deno = spawn(
    denoBinary,
    ["run", "--cached-only", "--no-prompt", "--allow-net=127.0.0.1", "--allow-env", "--allow-sys", "--allow-read", "postgres-server.ts"],
    {
      cwd: here,
      detached: true,
      env: { ...process.env, WEBHOOK_SECRET: secret, DATABASE_URL: database.url, PORT: "0", DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`deno did not start listening within 20 s:\n${output}`)), 20_000);
    deno!.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    deno!.stderr!.on("data", (chunk: Buffer) => (output += chunk));
    deno!.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`deno exited with ${code}:\n${output}`));
    });
  });
}, 60_000);

afterAll(async () => {
  if (deno?.pid !== undefined && deno.exitCode === null && deno.signalCode === null) {
    const exited = new Promise((resolve) => deno!.once("exit", resolve));
    process.kill(-deno.pid, "SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    if (deno.exitCode === null && deno.signalCode === null) process.kill(-deno.pid, "SIGKILL");
  }
  await pool?.end();
  await database?.drop();
});

async function deliver(event: object & { id: string }): Promise<{ status: number; body: any }> {
  const body = JSON.stringify(event);
  const response = await fetch(`${baseUrl}/webhooks/dttracker`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(await signer.headers(event.id, body)) },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: await response.json() };
}

function offerEvent(message?: string) {
  const event = structuredClone(events.offer_sent.example);
  event.id = crypto.randomUUID();
  event.data.offer.id = crypto.randomUUID();
  if (message !== undefined) event.data.offer.message = message;
  return event;
}

const effectsOf = async (offerId: string) =>
  (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM effects WHERE offer_id = $1", [offerId])).rows[0]!.n;

describe("a Deno.serve receiver on postgres.js with postgresDedupStore and transactional: true", () => {
  it("10 concurrent copies of one event: one row, ten 200 answers naming it, nine marked duplicate", async () => {
    const event = offerEvent();
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(event)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    for (const answer of answers) expect(answer.body.result).toEqual({ type: "offer", id: event.data.offer.id, status: "offered" });
    expect(answers.filter((answer) => answer.body.duplicate === true)).toHaveLength(9);
    expect(await effectsOf(event.data.offer.id)).toBe(1);
  });

  it("a handler that inserts then throws: 404, no row; the retry inserts it once", async () => {
    const event = offerEvent("fail once");
    expect((await deliver(event)).status).toBe(404);
    expect(await effectsOf(event.data.offer.id)).toBe(0);
    const retry = await deliver(event);
    expect([retry.status, retry.body.duplicate]).toEqual([200, undefined]);
    expect(await effectsOf(event.data.offer.id)).toBe(1);
    expect(output).not.toContain(secret);
  });
});
