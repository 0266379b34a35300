// The mock server driven as a user drives it: `mock-server` processes on loopback, the SDK's senders
// pointed at them, the admin API, and `mock-server trigger`. First the contract's end-to-end flow
// across a Dobbletap mock and a DTTracker mock, then each production failure the contract exists to
// prevent, reproduced and answered with its code.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { events, parseErrorAnswer } from "@dttracker-dobbletap/contracts";
import { createDobbletapClient, createDttrackerClient, createSigner, createWebhookReceiver, generateSecret } from "@dttracker-dobbletap/sdk";
import { toNodeListener } from "@dttracker-dobbletap/sdk/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { call, runCli, spawnMock, type SpawnedMock } from "./spawn.js";

const secret = generateSecret();
const env = { WEBHOOK_SECRET: secret };
const campaign = events.campaign_created.example.data.campaign;
const creator = events.creators_synced.example.data.creators[0]!;
const offer = events.offer_sent.example.data.offer;
const fast = { attempts: 4, initialDelayMs: 10, maxDelayMs: 50, totalTimeoutMs: 5_000 };

let dttracker: SpawnedMock;
let dobbletap: SpawnedMock;
const dttrackerBase = () => `${dttracker.origin}/functions/v1`;
const dobbletapBase = () => `${dobbletap.origin}/functions/v1/make-server-8061e72e`;

beforeAll(async () => {
  // Dobbletap starts knowing only its creator (a --seed file): the flow creates everything else.
  const dir = mkdtempSync(join(tmpdir(), "mock-seed-"));
  const seedFile = join(dir, "seed.json");
  writeFileSync(seedFile, JSON.stringify({ creators: [creator] }));
  dttracker = await spawnMock(["--as", "dttracker"], env);
  dobbletap = await spawnMock(["--as", "dobbletap", "--seed", seedFile, "--dttracker-url", `${dttracker.origin}/functions/v1`], env);
});

afterAll(async () => {
  await Promise.all([dobbletap?.stop(), dttracker?.stop()]);
});

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("mock-server: the flow that must work end to end", () => {
  it("campaign_created → creators_synced → offer_sent → accept → offer_accepted → activation_updated → activation_cancelled", async () => {
    const toDobbletap = createDobbletapClient({ baseUrl: dobbletapBase(), secret, retry: fast });
    const toDttracker = createDttrackerClient({ baseUrl: dttrackerBase(), secret, retry: fast });

    const created = await toDobbletap.campaignCreated({ campaign });
    expect(created.syncStatus).toEqual({ synced: true, error: null, retryQueued: false });
    // v1.1: result.id is the receiver's own record id (Dobbletap's), not the id DTTracker sent.
    expect(created.result).toEqual({ type: "campaign", id: expect.stringMatching(uuid), status: "active" });
    expect(created.result?.id).not.toBe(campaign.id);

    const synced = await toDttracker.creatorsSynced({ creators: [creator] });
    expect(synced.result?.synced).toEqual([{ dobbletapId: creator.dobbletapId, dttrackerId: expect.any(String) }]);

    const sent = await toDobbletap.offerSent({ offer });
    expect(sent.result).toEqual({ type: "offer", id: expect.stringMatching(uuid), status: "offered" });
    expect(sent.result?.id).not.toBe(offer.id);

    const accepted = await call(`${dobbletap.origin}/__mock/offers/${offer.id}/accept`, "POST");
    expect(accepted.status).toBe(200);
    expect(accepted.body.sent.syncStatus).toEqual({ synced: true, error: null, retryQueued: false });
    expect(accepted.body.sent.result).toEqual({ type: "offer", id: offer.id, status: "accepted" });
    expect((await call(`${dttracker.origin}/__mock/state`)).body.offers[0].status).toBe("accepted");

    const updated = await toDobbletap.activationUpdated(events.activation_updated.example.data);
    expect(updated.result).toEqual({ type: "campaign", id: created.result?.id, status: "active" });

    const cancelled = await toDobbletap.activationCancelled(events.activation_cancelled.example.data);
    expect(cancelled.result).toMatchObject({ type: "assignment", status: "cancelled" });

    const state = (await call(`${dobbletap.origin}/__mock/state`)).body;
    expect(state.offers).toEqual([expect.objectContaining({ id: offer.id, recordId: sent.result?.id, status: "cancelled" })]);
    expect(state.cancelledAssignments).toEqual([expect.objectContaining({ campaignId: campaign.id, creatorId: creator.dobbletapId })]);

    const received = (await call(`${dobbletap.origin}/__mock/events`)).body.events.map((e: any) => `${e.status} ${e.event}`);
    expect(received).toEqual(["200 campaign_created", "200 offer_sent", "200 activation_updated", "200 activation_cancelled"]);
    expect(dobbletap.output()).toMatch(new RegExp(`200 offer_sent\\s+[0-9a-f]{8}… offer ${sent.result?.id.slice(0, 8)}… offered \\d+\\.\\dms`));
    expect(dobbletap.output()).not.toContain(secret);
  });
});

describe("mock-server: the six production failures", () => {
  beforeEach(async () => {
    await call(`${dobbletap.origin}/__mock/reset`, "POST", { empty: true });
    await call(`${dttracker.origin}/__mock/reset`, "POST");
  });

  it("#1 a request with a wrong or missing signature → 401 UNAUTHORIZED; the right one passes", async () => {
    const url = `${dttrackerBase()}/creator-sync-from-dobbletap`;
    const body = JSON.stringify(events.creators_synced.example);
    const wrong = await createSigner(generateSecret()).headers(events.creators_synced.example.id, body);
    for (const headers of [wrong, {}]) {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
      expect(response.status).toBe(401);
      expect(parseErrorAnswer(await response.json())?.error.code).toBe("UNAUTHORIZED");
    }
    const right = await createSigner(secret).headers(events.creators_synced.example.id, body);
    expect((await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...right }, body })).status).toBe(200);
  });

  it("#2 creators_synced with one creator object instead of creators[] → 422 naming data.creators (via trigger)", async () => {
    const run = await runCli(
      ["trigger", "creators_synced", "--to", `${dttrackerBase()}/creator-sync-from-dobbletap`, "--set", `data.creators=${JSON.stringify(creator)}`],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.output).toContain("← 422");
    expect(run.output).toContain('"path": "data.creators"');
    expect(run.output).toContain("✗ Contract-valid error answer: VALIDATION_FAILED");
    expect(run.output).not.toContain("✓");
  });

  it("#3 a creator with status pending → 422 naming data.creators.0.status (via trigger)", async () => {
    const run = await runCli(
      ["trigger", "creators_synced", "--to", `${dttrackerBase()}/creator-sync-from-dobbletap`, "--set", "data.creators.0.status=pending"],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.output).toContain('"path": "data.creators.0.status"');
  });

  it("#4 offer_sent before campaign_created → 404 CAMPAIGN_NOT_FOUND, not retried; the same id succeeds after the campaign", async () => {
    await call(`${dobbletap.origin}/__mock/provider-states`, "POST", { state: "a creator exists", params: { handle: "wickhed7" }, action: "setup" });
    const client = createDobbletapClient({ baseUrl: dobbletapBase(), secret, retry: fast });
    const early = await client.send("offer_sent", { offer }, { id: events.offer_sent.example.id });
    expect(early).toMatchObject({ success: false, status: 404, attempts: 1 });
    expect(early.syncStatus).toMatchObject({ synced: false, retryQueued: false, error: { code: "CAMPAIGN_NOT_FOUND" } });
    expect(early.syncStatus.error?.message).toMatch(/Send campaign_created first/);

    await client.campaignCreated({ campaign });
    const retried = await client.send("offer_sent", { offer }, { id: events.offer_sent.example.id });
    expect(retried.syncStatus.synced).toBe(true);
    expect(retried.result).toEqual({ type: "offer", id: expect.stringMatching(uuid), status: "offered" });
  });

  it("#5 a success answer names the record it created, and the record exists", async () => {
    const run = await runCli(["trigger", "campaign_created", "--to", `${dobbletapBase()}/webhooks/dttracker`], env);
    expect(run.code).toBe(0);
    const [stored] = (await call(`${dobbletap.origin}/__mock/state`)).body.campaigns;
    expect(stored).toEqual(expect.objectContaining({ id: campaign.id, status: "active" }));
    expect(run.output).toContain(`✓ Contract-valid success: {"type":"campaign","id":"${stored.recordId}","status":"active"}`);
  });

  it("#6 injected 503s and a dropped connection are retried by the SDK sender; syncStatus tells the truth", async () => {
    const client = createDobbletapClient({ baseUrl: dobbletapBase(), secret, retry: fast });
    expect((await call(`${dobbletap.origin}/__mock/faults`, "POST", { status: 503, retryAfter: 0, count: 2 })).status).toBe(200);
    const sent = await client.campaignCreated({ campaign });
    expect(sent).toMatchObject({ success: true, attempts: 3, syncStatus: { synced: true, error: null } });

    await call(`${dobbletap.origin}/__mock/faults`, "POST", { drop: true, count: 1 });
    const afterDrop = await client.activationUpdated(events.activation_updated.example.data);
    expect(afterDrop).toMatchObject({ success: true, attempts: 2 });

    await call(`${dobbletap.origin}/__mock/faults`, "POST", { status: 503 });
    const failing = await createDobbletapClient({ baseUrl: dobbletapBase(), secret, retry: { ...fast, attempts: 2 } }).activationUpdated(
      events.activation_updated.example.data,
    );
    expect(failing).toMatchObject({ success: false, attempts: 2, syncStatus: { synced: false, retryQueued: false } });
    expect(failing.syncStatus.error).not.toBeNull();
    await call(`${dobbletap.origin}/__mock/faults`, "DELETE");

    const log = (await call(`${dobbletap.origin}/__mock/events`)).body.events.map((e: any) => e.fault ?? `${e.status} ${e.event}`);
    expect(log).toEqual(["status", "status", "200 campaign_created", "drop", "200 activation_updated", "status", "status"]);
  });
});

describe("mock-server: admin API", () => {
  it("POST /__mock/provider-states sets up Pact states; an unknown state is a 400 naming the known ones", async () => {
    const states = `${dobbletap.origin}/__mock/provider-states`;
    expect((await call(states, "POST", { state: "a cancelled campaign exists", action: "setup" })).body).toEqual({ campaignId: campaign.id });
    await call(states, "POST", { state: "a creator exists", params: { creatorId: creator.dobbletapId, handle: creator.handle } });
    const onCancelled = await runCli(["trigger", "offer_sent", "--to", `${dobbletapBase()}/webhooks/dttracker`], env);
    expect(onCancelled.output).toContain("INVALID_STATE");
    expect((await call(states, "POST", { state: "no campaign exists", action: "setup" })).status).toBe(200);
    const unknown = await call(states, "POST", { state: "the moon is full", action: "setup" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/Unknown provider state .*Known states: a campaign exists/);
  });

  it("POST /__mock/faults refuses a fault that makes no sense", async () => {
    const answer = await call(`${dobbletap.origin}/__mock/faults`, "POST", { status: 200 });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/status must be an integer from 400 to 599/);
  });
});

describe("mock-server trigger", () => {
  let receiver: Server;
  let url: string;
  beforeAll(async () => {
    // A receiver as an integrator builds it with the SDK: the trigger must satisfy it.
    const handle = createWebhookReceiver({
      secrets: secret,
      endpoint: "dobbletap.webhooks",
      handlers: {
        offer_sent: ({ data }) => ({ type: "offer" as const, id: data.offer.id, status: "offered" as const }),
        campaign_created: ({ data }) => ({ type: "campaign" as const, id: data.campaign.id, status: "active" as const }),
        activation_updated: ({ data }) => ({ type: "campaign" as const, id: data.campaignId, status: "active" as const }),
        activation_cancelled: ({ data }) => ({ type: "campaign" as const, id: data.campaignId, status: "cancelled" as const }),
      },
    });
    receiver = createServer(toNodeListener(handle));
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/dttracker`;
  });
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  it("signs and sends the example; exit 0 on a contract-valid success", async () => {
    const run = await runCli(["trigger", "offer_sent", "--to", url, "--set", "data.offer.amount.amountMinor=100"], env);
    expect(run.output).toContain("← 200");
    expect(run.output).toContain("✓ Contract-valid success");
    expect(run.code).toBe(0);
  });

  it("exit 1 on a wrong secret (401), an event the receiver does not take (422) and a bad override (422)", async () => {
    expect((await runCli(["trigger", "offer_sent", "--to", url, "--secret", generateSecret()])).output).toContain("UNAUTHORIZED");
    expect((await runCli(["trigger", "offer_accepted", "--to", url], env)).output).toContain("UNKNOWN_EVENT");
    const bad = await runCli(["trigger", "offer_sent", "--to", url, "--set", "data.offer.amount.amountMinor=75000.5"], env);
    expect(bad.output).toContain('"path": "data.offer.amount.amountMinor"');
    expect(bad.code).toBe(1);
  });

  it("without a secret or a signing key it stops before sending, with exit 2", async () => {
    const run = await runCli(["trigger", "offer_sent", "--to", url], { WEBHOOK_SECRET: "", WEBHOOK_SIGNING_KEY: "" });
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/Nothing to sign with: pass --signing-key or set WEBHOOK_SIGNING_KEY \(v1a, whsk_…\), or --secret/);
  });

  it("--signing-key given a whpk_ public key stops with exit 2, naming both kinds and not the key", async () => {
    const publicKey = `whpk_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`;
    const run = await runCli(["trigger", "offer_sent", "--to", url, "--signing-key", publicKey], { WEBHOOK_SECRET: "" });
    expect(run.code).toBe(2);
    expect(run.output).toMatch(/needs a v1a secret key \(whsk_…\), but it was given a v1a public key \(whpk_…\)/);
    expect(run.output).not.toContain(publicKey.slice(5));
  });
});
