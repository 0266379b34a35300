/**
 * The idea: DTTracker's receivers are tested from Dobbletap's side of the wire. The SDK's Dobbletap
 * sender (createDttrackerClient) syncs creators and answers offers, as Dobbletap's Edge Function
 * would; the mock server's `trigger` command sends what a buggy sender sent in production — a single
 * creator object instead of `creators[]` (failure #2) — and the receiver must refuse it with 422
 * naming `data.creators`. Every answer is read back through the contract: a creator batch can partly
 * succeed, an unknown offer is 404 OFFER_NOT_FOUND, and an offer moves offered → accepted only once.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { events } from "@dttracker-dobbletap/contracts";
import { createDttrackerClient, generateSecret } from "@dttracker-dobbletap/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDttrackerServer } from "./server.js";
import { createStore } from "./store.js";

const here = dirname(fileURLToPath(import.meta.url));
const secret = generateSecret();
const example = events.offer_accepted.example.data;
const wickhed7 = events.creators_synced.example.data.creators[0]!;

let server: Awaited<ReturnType<typeof startDttrackerServer>>;
const dttracker = () => createDttrackerClient({ baseUrl: server.url, secret, retry: false, timeoutMs: 5_000 });

/** The mock server's `trigger` CLI, bounded by a timeout; the secret travels in the environment. */
function trigger(event: string, to: string, sets: string[] = [], timeoutMs = 15_000) {
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const args = ["trigger", event, "--to", to, ...sets.flatMap((set) => ["--set", set])];
    const child = spawn(join(here, "node_modules", ".bin", "mock-server"), args, {
      env: { ...process.env, WEBHOOK_SECRET: secret },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`trigger timed out after ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The receiver's answer as `trigger` printed it: `← <status>` and the JSON body below it. */
function answerIn(output: string): { status: number; body: { success: boolean; error?: { code: string; issues?: { path: string }[] } } } {
  const match = /← (\d+)\n(\{[\s\S]*?\n\})\n/.exec(output);
  if (!match) throw new Error(`No answer in the trigger output:\n${output}`);
  return { status: Number(match[1]), body: JSON.parse(match[2]!) };
}

beforeAll(async () => {
  // DTTracker knows the offer it sent (the contract example's), in status offered.
  server = await startDttrackerServer({
    secret,
    store: createStore([{ id: example.offerId, campaignId: example.campaignId, creatorId: example.creatorId }]),
  });
});

afterAll(async () => {
  await server?.close();
});

describe("creator-sync-from-dobbletap", () => {
  it("creatorsSynced({ creators }) maps each creator: one synced, one failed (a batch can partly succeed)", async () => {
    const impostor = { ...wickhed7, dobbletapId: crypto.randomUUID(), displayName: "Not Wickhed" };
    const sent = await dttracker().creatorsSynced({ creators: [wickhed7, impostor] });
    expect(sent.syncStatus.synced).toBe(true);
    const dttrackerId = server.store.creators.get(wickhed7.dobbletapId)?.dttrackerId;
    expect(sent.result).toEqual({
      synced: [{ dobbletapId: wickhed7.dobbletapId, dttrackerId }],
      failed: [{ dobbletapId: impostor.dobbletapId, error: { code: "INVALID_STATE", message: expect.stringContaining("wickhed7") } }],
    });
  });

  it("trigger creators_synced --set data.creators=<one object> → 422 VALIDATION_FAILED naming data.creators", async () => {
    const { code, output } = await trigger("creators_synced", `${server.url}/creator-sync-from-dobbletap`, [`data.creators=${JSON.stringify(wickhed7)}`]);
    const answer = answerIn(output);
    expect(answer.status).toBe(422);
    expect(answer.body.error?.code).toBe("VALIDATION_FAILED");
    expect(answer.body.error?.issues?.map((issue) => issue.path)).toEqual(["data.creators"]);
    // trigger exits 1 when the event did not sync, 0 when it did.
    expect(code).toBe(1);
  });

  it("trigger offer_accepted at the creator-sync endpoint → 422 UNKNOWN_EVENT (each endpoint takes only its own events)", async () => {
    const { output } = await trigger("offer_accepted", `${server.url}/creator-sync-from-dobbletap`);
    expect(answerIn(output)).toMatchObject({ status: 422, body: { success: false, error: { code: "UNKNOWN_EVENT" } } });
  });
});

describe("dobbletap-webhooks", () => {
  it("offerAccepted for an offer DTTracker sent → synced, the offer is now accepted", async () => {
    const sent = await dttracker().offerAccepted(example);
    expect(sent.syncStatus).toEqual({ synced: true, error: null, retryQueued: false });
    expect(sent.result).toEqual({ type: "offer", id: example.offerId, status: "accepted" });
    expect(server.store.offers.get(example.offerId)?.status).toBe("accepted");
  });

  it("offerAccepted again under a new envelope id → the same record, duplicate: true", async () => {
    const sent = await dttracker().offerAccepted(example);
    expect(sent).toMatchObject({ success: true, duplicate: true, result: { status: "accepted" } });
  });

  it("offerDeclined after the accept → 409 INVALID_STATE (an offer is answered once)", async () => {
    const sent = await dttracker().offerDeclined({ ...example, reason: "Changed my mind" });
    expect(sent.status).toBe(409);
    expect(sent.syncStatus.error?.code).toBe("INVALID_STATE");
  });

  it("offerDeclined for an offer DTTracker never sent → 404 OFFER_NOT_FOUND", async () => {
    const sent = await dttracker().offerDeclined({ ...example, offerId: crypto.randomUUID() });
    expect(sent.status).toBe(404);
    expect(sent.syncStatus).toMatchObject({ synced: false, error: { code: "OFFER_NOT_FOUND" } });
  });
});
