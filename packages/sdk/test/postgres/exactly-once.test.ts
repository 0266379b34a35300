/**
 * The idea: Supabase runs several instances of one receiver function. Here four receiver processes
 * (receiver-process.ts) share one real PostgreSQL database through postgresDedupStore with
 * transactional handlers, and the test attacks them as a flaky network and a crashing host would:
 * one event delivered 50 times at once across the four; the same id with other data after a
 * success; a process SIGKILLed while its handler's transaction is open. What must hold (contract
 * v1.1, "Idempotency and retention"): the handler's row exists exactly once, every answer names the
 * same record, nothing survives a crash, and the redelivery then succeeds.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { events } from "@dttracker-dobbletap/contracts";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/postgres.js";
import { fromPg } from "../../src/postgres/adapters.js";
import { migrate } from "../../src/postgres/migrate.js";
import { createSigner, generateSecret } from "../../src/signing/index.js";
import { deliver as deliverTo } from "../support/signed-delivery.js";

const here = dirname(fileURLToPath(import.meta.url));
const secret = generateSecret();
const signer = createSigner(secret);
const children: ChildProcess[] = [];
let database: { url: string; drop(): Promise<void> };
let pool: pg.Pool;
let urls: string[] = [];

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

/** Starts one receiver process and resolves once it listens (bounded). */
function startReceiver(env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, ["--conditions=@dttracker-dobbletap/source", "--import", "tsx", join(here, "receiver-process.ts")], {
    env: { ...process.env, DATABASE_URL: database.url, WEBHOOK_SECRET: secret, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`receiver did not start within 15 s:\n${output}`)), 15_000);
    const check = () => {
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off("data", check);
        resolve({ child, url: match[1]!, output: () => output });
      }
    };
    child.stdout!.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`receiver exited with ${code}:\n${output}`));
    });
  });
}

function offerEvent() {
  const event = structuredClone(events.offer_sent.example);
  event.id = crypto.randomUUID();
  event.data.offer.id = crypto.randomUUID();
  return event;
}

const deliver = (url: string, event: object & { id: string }) => deliverTo(`${url}/webhooks/dttracker`, signer, event);

async function count(sql: string, param: string): Promise<number> {
  return (await pool.query<{ n: number }>(sql, [param])).rows[0]!.n;
}
const effectsOf = (offerId: string) => count("SELECT count(*)::int AS n FROM effects WHERE offer_id = $1", offerId);
const rememberedOf = (id: string) => count("SELECT count(*)::int AS n FROM webhook_kit.inbox WHERE id = $1", id);

beforeAll(async () => {
  database = await createTestDatabase("inbox");
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await migrate(fromPg(pool));
  await pool.query("CREATE TABLE effects (seq serial PRIMARY KEY, offer_id text NOT NULL, pid integer NOT NULL)");
  urls = (await Promise.all([1, 2, 3, 4].map(() => startReceiver({ SLOW_MS: "40" })))).map((started) => started.url);
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await pool?.end();
  await database?.drop();
});

describe("four receiver processes on one database (postgresDedupStore, transactional: true)", () => {
  it("one event delivered 50× concurrently across them: the handler's row exists exactly once, every answer the same record", async () => {
    const event = offerEvent();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, index) => deliver(urls[index % 4]!, event)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
    for (const answer of answers) {
      expect(answer.body).toMatchObject({ success: true, eventId: event.id, result: { type: "offer", id: event.data.offer.id, status: "offered" } });
    }
    expect(answers.filter((answer) => answer.body.duplicate !== true)).toHaveLength(1);
    expect(await effectsOf(event.data.offer.id)).toBe(1);
    expect(await rememberedOf(event.id)).toBe(1);
  });

  it("the same id with another body after a success → 409 INVALID_STATE at another process, nothing inserted", async () => {
    const event = offerEvent();
    expect((await deliver(urls[0]!, event)).status).toBe(200);
    const other = { ...event, data: { offer: { ...event.data.offer, message: "A different offer under a reused id" } } };
    for (const url of urls.slice(1)) {
      const refused = await deliver(url, other);
      expect([refused.status, refused.body.error.code]).toEqual([409, "INVALID_STATE"]);
    }
    expect(await effectsOf(event.data.offer.id)).toBe(1);
  });

  it("a receiver SIGKILLed while its handler's transaction is open: no row, no remembered id; the retry succeeds at once", async () => {
    const doomed = await startReceiver({ HOLD: "1" });
    const event = offerEvent();
    const inflight = deliver(doomed.url, event).then(
      () => "answered",
      () => "connection lost",
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the handler never started:\n${doomed.output()}`)), 10_000);
      const check = () => {
        if (doomed.output().includes(`HOLDING ${event.id}`)) {
          clearTimeout(timer);
          resolve();
        }
      };
      doomed.child.stdout!.on("data", check);
      check();
    });
    // The insert happened inside the open transaction: nobody else can see it.
    expect(await effectsOf(event.data.offer.id)).toBe(0);
    const exited = new Promise((resolve) => doomed.child.once("exit", resolve));
    doomed.child.kill("SIGKILL");
    await exited;
    expect(await inflight).toBe("connection lost");
    expect(await effectsOf(event.data.offer.id)).toBe(0);
    expect(await rememberedOf(event.id)).toBe(0);
    const started = performance.now();
    const retry = await deliver(urls[1]!, event);
    expect([retry.status, retry.body.duplicate]).toEqual([200, undefined]);
    // Not after a lease ran out: the dead holder's transaction ended with its connection.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await effectsOf(event.data.offer.id)).toBe(1);
    expect(await rememberedOf(event.id)).toBe(1);
  });
});
