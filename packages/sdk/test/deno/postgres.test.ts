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
import { events } from "@dttracker-dobbletap/contracts";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/postgres.js";
import { fromPg } from "../../src/postgres/adapters.js";
import { migrate } from "../../src/postgres/migrate.js";
import { createSigner, generateSecret } from "../../src/signing/index.js";
import { type DenoServer, requireDeno, startSdkDenoServer } from "../support/deno.js";
import { deliver as deliverTo } from "../support/signed-delivery.js";

const secret = generateSecret();
const signer = createSigner(secret);
let database: { url: string; drop(): Promise<void> };
let pool: pg.Pool;
let deno: DenoServer | undefined;

beforeAll(async () => {
  requireDeno();
  database = await createTestDatabase("deno");
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  await migrate(fromPg(pool));
  await pool.query("CREATE TABLE effects (seq serial PRIMARY KEY, offer_id text NOT NULL)");
  deno = await startSdkDenoServer({
    entry: "postgres-server.ts",
    allow: ["--allow-net=127.0.0.1", "--allow-env", "--allow-sys", "--allow-read"],
    env: { WEBHOOK_SECRET: secret, DATABASE_URL: database.url, PORT: "0" },
    timeoutMs: 20_000,
  });
}, 60_000);

afterAll(async () => {
  await deno?.stop();
  await pool?.end();
  await database?.drop();
});

const deliver = (event: object & { id: string }) => deliverTo(`${deno!.url}/webhooks/dttracker`, signer, event);

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
    expect(deno!.output()).not.toContain(secret);
  });
});
