/**
 * The outbox under crashes and contention, on the real server (separate dispatcher processes on
 * `pg`, the mock Dobbletap in this process):
 * - a dispatcher SIGKILLed in the middle of 500 events, then started again: every event is stored
 *   by the mock exactly once (one non-duplicate 200 per id), none lost;
 * - four dispatchers on one database, 2,000 events over 50 campaigns, the mock failing ~30% of
 *   requests (503, 500, 429 + Retry-After, dropped connections, rotating): every event stored once,
 *   each campaign's events accepted in enqueue order, no event attempted by two dispatchers at once.
 * Schedules run on a fast clock (CLOCK_SPEED) so retries 5 min or 2 h apart take a fraction of a second.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/postgres.js";
import { fromPg, migrate, createOutbox, type Database } from "../../src/postgres/index.js";
import { mockDobbletap, newCampaign, newUpdate } from "../support/postgres-fixtures.js";

const here = dirname(fileURLToPath(import.meta.url));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function startDispatcher(name: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--conditions=@dttracker-dobbletap/source", "--import", "tsx", join(here, "dispatcher-process.ts")], {
    env: { ...process.env, ...env, DISPATCHER_NAME: name },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 20 s: ${output}`)), 20_000);
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      if (output.includes("ready")) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}): ${output}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let dobbletap: Awaited<ReturnType<typeof mockDobbletap>>;
let database: { url: string; drop(): Promise<void> };
let pool: pg.Pool;
let db: Database;
beforeAll(async () => {
  dobbletap = await mockDobbletap();
  database = await createTestDatabase("soak");
  pool = new pg.Pool({ connectionString: database.url, max: 8 });
  db = fromPg(pool);
  await migrate(db);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
  await dobbletap?.mock.close();
});

const count = async (state: string) =>
  Number((await db.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_kit.outbox WHERE state = $1", [state])).rows[0]?.n);

/** Per event id: the mock's non-duplicate 200s (must be exactly one each). */
function storedCounts(ids: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>([...ids].map((id) => [id, 0]));
  for (const entry of dobbletap.mock.events.list()) {
    if (entry.id !== undefined && counts.has(entry.id) && entry.status === 200 && !entry.duplicate) counts.set(entry.id, counts.get(entry.id)! + 1);
  }
  return counts;
}

describe("the outbox on the real server, with dispatcher processes", () => {
  it("a dispatcher SIGKILLed in the middle of 500 events, then restarted: each event stored exactly once, none lost", { timeout: 120_000 }, async () => {
    await db.query("DELETE FROM webhook_kit.outbox");
    const outbox = createOutbox({ db });
    const ids: string[] = [];
    const campaigns: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      await db.transaction(async (tx) => {
        for (let i = 0; i < 50; i++) {
          const data = newCampaign(`kill ${batch}-${i}`);
          campaigns.push(data.campaign.id);
          ids.push((await outbox.enqueue(tx, "campaign_created", data)).eventId);
        }
      });
    }
    // Latency keeps sends in flight, so the kill lands mid-request.
    await dobbletap.admin("POST", "/__mock/faults", { latencyMs: 30 });
    const env = { DATABASE_URL: database.url, MOCK_URL: dobbletap.mock.url, MOCK_SECRET: dobbletap.mock.secret!, CLOCK_SPEED: "1" };
    const first = await startDispatcher("first", env);
    await waitFor("150 deliveries", async () => (await count("delivered")) >= 150, 60_000);
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    const inFlightAtKill = await count("delivering");
    expect(await count("delivered")).toBeLessThan(500);

    const second = await startDispatcher("second", env);
    await waitFor("all 500 delivered", async () => (await count("delivered")) === 500, 90_000);
    await stop(second);
    await dobbletap.admin("DELETE", "/__mock/faults");

    const stored = storedCounts(ids);
    expect([...stored.values()].filter((n) => n !== 1)).toEqual([]);
    expect(campaigns.filter((id) => !dobbletap.mock.state.campaigns.has(id))).toEqual([]);
    // The events the first process held when it died were reclaimed by the second (after the lease).
    const reclaimed = await db.query<{ n: number }>(
      "SELECT count(DISTINCT event_id)::int AS n FROM webhook_kit.outbox_attempts WHERE dispatcher = 'first' AND finished_at IS NULL",
    );
    expect(reclaimed.rows[0]?.n).toBe(inFlightAtKill);
    console.info(`[soak] SIGKILL: ${inFlightAtKill} in flight at the kill, all 500 stored exactly once`);
  });

  it("four dispatchers, 2,000 events over 50 campaigns, ~30% faults: exactly once, per-campaign order kept, never two attempts at once", {
    timeout: 180_000,
  }, async () => {
    await db.query("DELETE FROM webhook_kit.outbox");
    dobbletap.mock.events.clear();
    const outbox = createOutbox({ db });
    const order = new Map<string, string[]>(); // campaign → event ids in enqueue order
    const campaigns = Array.from({ length: 50 }, (_, i) => newCampaign(`soak ${i}`));
    for (const c of campaigns) order.set(c.campaign.id, []);
    // Interleaved across campaigns, as real traffic is: round r enqueues event r of every campaign.
    for (let round = 0; round < 40; round++) {
      await db.transaction(async (tx) => {
        for (const c of campaigns) {
          const id =
            round === 0
              ? (await outbox.enqueue(tx, "campaign_created", c)).eventId
              : (await outbox.enqueue(tx, "activation_updated", newUpdate(c.campaign.id, `soak ${c.campaign.id.slice(0, 4)} v${round}`))).eventId;
          order.get(c.campaign.id)!.push(id);
        }
      });
    }
    const faults = [
      { status: 503, rate: 0.3 },
      { status: 500, rate: 0.3 },
      { status: 429, retryAfter: 1, rate: 0.3 },
      { drop: true, rate: 0.3 },
      { status: 502, latencyMs: 20, rate: 0.3 },
    ];
    let turn = 0;
    await dobbletap.admin("POST", "/__mock/faults", faults[0]!);
    const rotate = setInterval(() => void dobbletap.admin("POST", "/__mock/faults", faults[++turn % faults.length]!).catch(() => undefined), 100);
    const env = {
      DATABASE_URL: database.url,
      MOCK_URL: dobbletap.mock.url,
      MOCK_SECRET: dobbletap.mock.secret!,
      // 20,000× faster, so a chain of eight faults in a row (51.6 h of schedule) takes ~9 s, not minutes:
      // at 30% faults over 2,000 events such a chain is likely in some run (1,000× made this test flaky).
      CLOCK_SPEED: "20000",
      CLOCK_START: String(Date.now()),
    };
    const started = performance.now();
    const workers = await Promise.all(["w1", "w2", "w3", "w4"].map((name) => startDispatcher(name, env)));
    try {
      await waitFor("all 2,000 delivered", async () => (await count("delivered")) === 2000, 150_000);
    } finally {
      clearInterval(rotate);
      await Promise.all(workers.map(stop));
      await dobbletap.admin("DELETE", "/__mock/faults");
    }
    const seconds = (performance.now() - started) / 1000;
    expect(await count("dead")).toBe(0);

    const all = [...order.values()].flat();
    const stored = storedCounts(all);
    expect([...stored.values()].filter((n) => n !== 1)).toEqual([]);
    const faulted = dobbletap.mock.events.list().filter((e) => e.fault !== undefined && e.fault !== "latency").length;
    const requests = dobbletap.mock.events.list().length;
    expect(faulted / requests).toBeGreaterThan(0.15);

    // Per campaign, the mock accepted the events in enqueue order.
    const accepted = new Map<string, string[]>();
    const campaignOf = new Map<string, string>();
    for (const [campaign, ids] of order) for (const id of ids) campaignOf.set(id, campaign);
    for (const entry of dobbletap.mock.events.list()) {
      if (entry.status !== 200 || entry.duplicate || entry.id === undefined || !campaignOf.has(entry.id)) continue;
      const campaign = campaignOf.get(entry.id)!;
      accepted.set(campaign, [...(accepted.get(campaign) ?? []), entry.id]);
    }
    for (const [campaign, ids] of order) expect(accepted.get(campaign), campaign).toEqual(ids);
    for (const c of campaigns) expect(dobbletap.mock.state.campaigns.get(c.campaign.id)?.title).toBe(`soak ${c.campaign.id.slice(0, 4)} v39`);

    // No event attempted by two dispatchers at once: each attempt starts after the previous one finished.
    const overlaps = await db.query<{ n: number }>(`
      SELECT count(*)::int AS n FROM webhook_kit.outbox_attempts a JOIN webhook_kit.outbox_attempts b
        ON a.event_id = b.event_id AND b.attempt = a.attempt + 1
      WHERE a.finished_at IS NULL OR b.started_at < a.finished_at`);
    expect(overlaps.rows[0]?.n).toBe(0);
    const dispatchers = await db.query<{ n: number }>("SELECT count(DISTINCT dispatcher)::int AS n FROM webhook_kit.outbox_attempts");
    expect(dispatchers.rows[0]?.n).toBe(4);
    console.info(`[soak] 4 dispatchers: 2,000 events, ${requests} requests, ${faulted} faulted, ${seconds.toFixed(1)} s`);
  });
});
