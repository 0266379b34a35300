// Contract v1.1 at the mock server: one key per direction with v1a (Dobbletap signs its decisions
// with its own whsk_, DTTracker holds only the whpk_), a v1a-only mock refusing v1, `trigger`
// signing with either scheme, NOT_FOUND / METHOD_NOT_ALLOWED, and gateway faults without a code.
import { events } from "@dttracker-dobbletap/contracts";
import { createDobbletapClient, generateKeyPair, generateSecret } from "@dttracker-dobbletap/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type RunningMockServer } from "../src/server.js";
import { trigger } from "../src/trigger.js";

const dobbletapKeys = await generateKeyPair(); // Dobbletap → DTTracker
const dttrackerKeys = await generateKeyPair(); // DTTracker → Dobbletap
let dobbletap: RunningMockServer;
let dttracker: RunningMockServer;

beforeAll(async () => {
  dttracker = await startMockServer({ as: "dttracker", verifyKey: dobbletapKeys.publicKey, signingKey: dttrackerKeys.secretKey });
  dobbletap = await startMockServer({
    as: "dobbletap",
    verifyKey: dttrackerKeys.publicKey,
    signingKey: dobbletapKeys.secretKey,
    dttrackerUrl: dttracker.url,
  });
});
afterAll(async () => {
  await Promise.all([dobbletap?.close(), dttracker?.close()]);
});

const post = (url: string, body?: unknown, method = "POST") =>
  fetch(url, { method, headers: { "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

describe("the mock server with v1a keys, one per direction", () => {
  it("startMockServer({ verifyKey }) generates no v1 secret: it is v1a only", () => {
    expect([dobbletap.secret, dobbletap.generatedSecret]).toEqual([undefined, false]);
  });

  it("accepts DTTracker's v1a-signed offer, and Dobbletap's decision reaches DTTracker signed with Dobbletap's own key", async () => {
    const client = createDobbletapClient({ baseUrl: dobbletap.url, secretKey: dttrackerKeys.secretKey, retry: false });
    const sent = await client.offerSent(events.offer_sent.example.data);
    expect(sent.syncStatus).toEqual({ synced: true, error: null, retryQueued: false });

    const decided = await post(`${dobbletap.origin}/__mock/offers/${events.offer_sent.example.data.offer.id}/accept`);
    const body = (await decided.json()) as { sent: { syncStatus: unknown; result: unknown } };
    expect(decided.status).toBe(200);
    expect(body.sent.syncStatus).toEqual({ synced: true, error: null, retryQueued: false });
    expect(dttracker.state.offers.get(events.offer_sent.example.data.offer.id)?.status).toBe("accepted");
    expect(JSON.stringify(body)).not.toContain(dobbletapKeys.secretKey.slice(5, 25));
  });

  it("a v1a-only mock answers 401 to a request signed only with v1, and to a key of the other direction", async () => {
    const v1 = createDobbletapClient({ baseUrl: dobbletap.url, secret: generateSecret(), retry: false });
    const refused = await v1.campaignCreated(events.campaign_created.example.data);
    expect([refused.status, refused.syncStatus.error?.code]).toEqual([401, "UNAUTHORIZED"]);
    // Dobbletap's own key cannot sign DTTracker's events: the mock trusts only DTTracker's public key.
    const wrongDirection = createDobbletapClient({ baseUrl: dobbletap.url, secretKey: dobbletapKeys.secretKey, retry: false });
    expect((await wrongDirection.campaignCreated(events.campaign_created.example.data)).status).toBe(401);
  });

  it("trigger({ signingKey }) signs v1a, trigger({ secret }) v1: each receiver accepts its own scheme only", async () => {
    const to = `${dttracker.url}/dobbletap-webhooks`;
    const v1a = await trigger({
      event: "offer_declined",
      to,
      signingKey: dobbletapKeys.secretKey,
      set: [`data.offerId=${JSON.stringify(crypto.randomUUID())}`],
    });
    expect(v1a.status).toBe(404); // verified, then OFFER_NOT_FOUND: the signature passed
    const v1 = await trigger({ event: "offer_declined", to, secret: generateSecret() });
    expect(v1.status).toBe(401);
    await expect(trigger({ event: "offer_declined", to })).rejects.toThrow(/Nothing to sign with/);
  });
});

describe("answers v1 left open, at the mock", () => {
  it("an unknown path is 404 NOT_FOUND; a GET on a webhook route is 405 METHOD_NOT_ALLOWED with Allow: POST", async () => {
    const missing = await post(`${dobbletap.origin}/functions/v1/nope`, {});
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    const get = await fetch(`${dobbletap.url}/webhooks/dttracker`);
    expect([get.status, get.headers.get("allow")]).toEqual([405, "POST"]);
    expect(((await get.json()) as { error: { code: string } }).error.code).toBe("METHOD_NOT_ALLOWED");
  });

  it("an injected 503 carries no contract code (INTERNAL goes only with 500), and the SDK retries it", async () => {
    const mock = await startMockServer({ as: "dobbletap" });
    try {
      await post(`${mock.origin}/__mock/faults`, { status: 503, count: 1 });
      const raw = await post(`${mock.url}/webhooks/dttracker`, {});
      expect(raw.status).toBe(503);
      const body = (await raw.json()) as { error: { code?: string } };
      expect(body.error.code).toBeUndefined();
      await post(`${mock.origin}/__mock/faults`, { status: 500, count: 1 });
      expect(((await (await post(`${mock.url}/webhooks/dttracker`, {})).json()) as { error: { code: string } }).error.code).toBe("INTERNAL");
      await post(`${mock.origin}/__mock/faults`, { status: 503, count: 1 });
      const client = createDobbletapClient({ baseUrl: mock.url, secret: mock.secret!, retry: { initialDelayMs: 1, maxDelayMs: 5 } });
      const sent = await client.campaignCreated(events.campaign_created.example.data);
      expect([sent.syncStatus.synced, sent.attempts]).toEqual([true, 2]);
    } finally {
      await mock.close();
    }
  });
});
