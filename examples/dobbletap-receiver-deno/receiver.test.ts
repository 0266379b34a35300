/**
 * The idea: Dobbletap's receiver is a Supabase Edge Function, so test it the way Supabase runs it —
 * under the real `deno` binary, as a separate process on a free port, with the SDK loaded from the
 * workspace's built `dist` (no network: `--cached-only`). Then talk to it only over HTTP, as DTTracker
 * would: first with the mock server's `trigger` command (a signed contract example, and one made
 * invalid on purpose with `--set`), then with the SDK's own sender. What we check is the contract's
 * answers: 200 naming the record it created, 422 naming the bad field, 404 CAMPAIGN_NOT_FOUND for an
 * offer whose campaign never arrived (production failure #4), 409 for a cancelled campaign.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { events } from "@dttracker-dobbletap/contracts";
import { createDobbletapClient, generateSecret } from "@dttracker-dobbletap/sdk";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DenoServer, startDenoServer } from "../../test/support/deno.js";
import { createTestDatabase } from "../../test/support/postgres.js";
import { runVerifyCli } from "../../test/support/verify-cli.js";

const here = dirname(fileURLToPath(import.meta.url));
const bin = (name: string) => join(here, "node_modules", ".bin", name);
const secret = generateSecret();

let deno: DenoServer | undefined;
let database: { url: string; drop(): Promise<void> };
let pool: pg.Pool;
let baseUrl = "";

/** Runs a command to completion (bounded by a timeout) and returns its exit code and output. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 15_000) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args[0]} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The mock server's `trigger`: signs one contract example (with overrides) and sends it. */
function trigger(event: string, sets: string[] = []) {
  return run(
    bin("mock-server"),
    ["trigger", event, "--to", `${baseUrl}/webhooks/dttracker`, ...sets.flatMap((set) => ["--set", set])],
    // The secret goes through the environment, not argv: argv is visible to every process on the host.
    { WEBHOOK_SECRET: secret },
  );
}

/** The receiver's answer as `trigger` printed it: `← <status>` and the JSON body below it. */
function answerIn(output: string): { status: number; body: { success: boolean; result?: unknown; error?: { code: string; issues?: { path: string }[] } } } {
  const match = /← (\d+)\n(\{[\s\S]*?\n\})\n/.exec(output);
  if (!match) throw new Error(`No answer in the trigger output:\n${output}`);
  return { status: Number(match[1]), body: JSON.parse(match[2]!) };
}

beforeAll(async () => {
  const sdkDist = join(here, "node_modules", "@dttracker-dobbletap", "sdk", "dist", "index.js");
  if (!existsSync(sdkDist)) throw new Error('Deno loads the SDK\'s built dist: run `pnpm --filter "./packages/*" build` first.');

  // A real server here (Supabase's case); without DATABASE_URL main.ts uses a PGlite file.
  database = await createTestDatabase("dobbletap");
  pool = new pg.Pool({ connectionString: database.url, max: 2 });
  deno = await startDenoServer({
    // The npm package's shim: it puts the platform binary in place on first use (its postinstall is
    // disabled). The server runs in its own process group, so stop() ends the shim and Deno together.
    binary: join(here, "node_modules", ".bin", "deno"),
    cwd: here,
    entry: "main.ts",
    allow: ["--allow-net=127.0.0.1", "--allow-env", "--allow-read", "--allow-sys"],
    // PORT=0: the OS picks a free port and onListen prints it, so parallel runs never collide.
    env: { WEBHOOK_SECRET: secret, DATABASE_URL: database.url, PORT: "0", PACT_PROVIDER_STATES: "on" },
    timeoutMs: 15_000,
  });
  baseUrl = deno.url;
}, 20_000);

afterAll(async () => {
  await deno?.stop();
  await pool?.end();
  await database?.drop();
});

describe("Dobbletap receiver (Deno.serve) driven by the mock server's trigger", () => {
  it("trigger campaign_created → 200 naming the campaign it created", async () => {
    const { code, stdout, stderr } = await trigger("campaign_created");
    expect(code, stdout + stderr).toBe(0);
    expect(answerIn(stdout + stderr)).toMatchObject({
      status: 200,
      body: { success: true, result: { type: "campaign", id: events.campaign_created.example.data.campaign.id, status: "active" } },
    });
  });

  it("trigger campaign_created --set data.campaign.visibility=secret → 422 naming the field", async () => {
    const { code, stdout, stderr } = await trigger("campaign_created", ["data.campaign.visibility=secret"]);
    const answer = answerIn(stdout + stderr);
    expect(answer.status).toBe(422);
    expect(answer.body.error?.code).toBe("VALIDATION_FAILED");
    expect(answer.body.error?.issues?.map((issue) => issue.path)).toEqual(["data.campaign.visibility"]);
    expect(code).toBe(1); // trigger exits 1 when the event did not sync
  });
});

describe("Dobbletap receiver (Deno.serve) driven by the SDK sender", () => {
  const campaignId = events.campaign_created.example.data.campaign.id;
  const offer = () => ({ ...events.offer_sent.example.data.offer, id: crypto.randomUUID(), campaignId });
  const dobbletap = () => createDobbletapClient({ baseUrl, secret, retry: false, timeoutMs: 5_000 });

  // The campaign the trigger test published; sent again here so this block stands on its own
  // (the same campaign again is answered with the existing record, duplicate: true).
  beforeAll(async () => {
    const published = await dobbletap().campaignCreated(events.campaign_created.example.data);
    expect(published.syncStatus.synced).toBe(true);
  });

  it("offerSent for a synced campaign → synced, result { type: offer, status: offered }, one creator_campaigns row", async () => {
    const made = offer();
    const sent = await dobbletap().offerSent({ offer: made });
    expect(sent.syncStatus).toEqual({ synced: true, error: null, retryQueued: false });
    expect(sent.result).toMatchObject({ type: "offer", status: "offered" });
    const rows = await pool.query("SELECT status FROM creator_campaigns WHERE offer_id = $1", [made.id]);
    expect(rows.rows).toEqual([{ status: "offered" }]);
  });

  it("one offer_sent delivered 10× at once (same webhook-id): one offer row, ten answers naming it", async () => {
    const made = offer();
    const id = crypto.randomUUID();
    const sent = await Promise.all(Array.from({ length: 10 }, () => dobbletap().send("offer_sent", { offer: made }, { id })));
    expect(sent.map((each) => each.syncStatus.synced)).toEqual(Array(10).fill(true));
    for (const each of sent) expect(each.result).toEqual({ type: "offer", id: made.id, status: "offered" });
    const rows = await pool.query("SELECT count(*)::int AS n FROM creator_campaigns WHERE offer_id = $1", [made.id]);
    expect(rows.rows[0].n).toBe(1);
    const remembered = await pool.query("SELECT count(*)::int AS n FROM webhook_kit.inbox WHERE id = $1", [id]);
    expect(remembered.rows[0].n).toBe(1);
  });

  it("offerSent for an unknown campaign: 404 and nothing remembered, so the retry after campaign_created succeeds", async () => {
    const client = dobbletap();
    const campaign = { ...events.campaign_created.example.data.campaign, id: crypto.randomUUID() };
    const made = { ...offer(), campaignId: campaign.id };
    const id = crypto.randomUUID();
    expect((await client.send("offer_sent", { offer: made }, { id })).status).toBe(404);
    expect((await client.campaignCreated({ campaign })).success).toBe(true);
    const retried = await client.send("offer_sent", { offer: made }, { id });
    expect([retried.syncStatus.synced, retried.duplicate]).toEqual([true, false]);
  });

  it("offerSent with the same offer under a new envelope id → the existing record, duplicate: true", async () => {
    const same = offer();
    const first = await dobbletap().offerSent({ offer: same });
    const again = await dobbletap().offerSent({ offer: same });
    expect(again.eventId).not.toBe(first.eventId);
    expect(again).toMatchObject({ success: true, duplicate: true, result: { id: same.id, status: "offered" } });
  });

  it("offerSent for a campaign that was never synced → 404 CAMPAIGN_NOT_FOUND, synced: false", async () => {
    const sent = await dobbletap().offerSent({ offer: { ...offer(), campaignId: crypto.randomUUID() } });
    expect(sent.status).toBe(404);
    expect(sent.syncStatus).toMatchObject({ synced: false, retryQueued: false, error: { code: "CAMPAIGN_NOT_FOUND" } });
  });

  it("offerSent to a creator Dobbletap does not know → 404 CREATOR_NOT_FOUND", async () => {
    const sent = await dobbletap().offerSent({ offer: { ...offer(), creatorId: crypto.randomUUID() } });
    expect(sent.syncStatus.error?.code).toBe("CREATOR_NOT_FOUND");
  });

  it("activationCancelled, then offerSent → 409 INVALID_STATE", async () => {
    const client = dobbletap();
    const campaign = { ...events.campaign_created.example.data.campaign, id: crypto.randomUUID() };
    expect((await client.campaignCreated({ campaign })).success).toBe(true);
    const cancelled = await client.activationCancelled({ campaignId: campaign.id, reason: "Budget moved" });
    expect(cancelled.result).toEqual({ type: "campaign", id: campaign.id, status: "cancelled" });
    const sent = await client.offerSent({ offer: { ...offer(), campaignId: campaign.id } });
    expect(sent.status).toBe(409);
    expect(sent.syncStatus.error?.code).toBe("INVALID_STATE");
  });

  it("logs one line per delivery and never the secret", () => {
    expect(deno!.output()).toMatch(/offer_sent \S+ → 200/);
    expect(deno!.output()).not.toContain(secret);
  });
});

describe("Dobbletap receiver (Deno.serve) verified against the pact", () => {
  // The documented CI command, with createProviderStates mounted at …/__pact/states.
  it("passes dttracker-dobbletap-verify --provider dobbletap, twice in a row", async () => {
    const args = ["--provider", "dobbletap", "--base-url", baseUrl, "--states-url", `${baseUrl}/__pact/states`];
    for (let round = 0; round < 2; round++) {
      const run = await runVerifyCli(here, args, { WEBHOOK_SECRET: secret });
      expect(run.stderr).toBe("");
      expect(run.code, run.stdout).toBe(0);
      expect(run.stdout).toMatch(/all \d+ interactions pass/);
    }
  }, 60_000);
});
