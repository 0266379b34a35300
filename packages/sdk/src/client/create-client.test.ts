/**
 * The senders against a real loopback receiver: what goes on the wire (the contract's envelope,
 * Standard Webhooks signatures the reference library accepts, the bearer header) and how each kind
 * of answer is reported in `syncStatus`. Retries are pinned in retry.test.ts, the queue in
 * retry-queue.test.ts.
 */
import { endpoints, events, eventsTo, type EventName } from "@dttracker-dobbletap/contracts";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";
import {
  isInvalidAnswerError,
  isRemoteError,
  isRequestValidationError,
  isSignatureError,
  isUnexpectedResponseError,
  type InvalidAnswerError,
  type RequestValidationError,
} from "../errors/index.js";
import { generateSecret } from "../signing/index.js";
import { createClient, createDobbletapClient, createDttrackerClient } from "./create-client.js";
import type { SendResult } from "./types.js";
import { refuse, sampleResults, startServer, success, type Received, type Script, type TestServer } from "../../test/support/test-server.js";

const fast = { initialDelayMs: 1, maxDelayMs: 5 };
const offer = events.offer_sent.example.data;
const creators = events.creators_synced.example.data;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(script?: Script): Promise<TestServer> {
  server = await startServer(script);
  return server;
}

function signatureHeaders(request: Received): Record<string, string> {
  return {
    "webhook-id": String(request.headers["webhook-id"]),
    "webhook-timestamp": String(request.headers["webhook-timestamp"]),
    "webhook-signature": String(request.headers["webhook-signature"]),
  };
}

async function rejection(promise: Promise<unknown>): Promise<RequestValidationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isRequestValidationError(error)) throw new Error(`expected a RequestValidationError, got ${String(error)}`);
  return error;
}

describe("createDobbletapClient(options)", () => {
  it("offerSent(data) posts a signed envelope to {baseUrl}/webhooks/dttracker and reports synced with the record", async () => {
    const secret = generateSecret();
    const { url, requests } = await serve();
    const dobbletap = createDobbletapClient({ baseUrl: `${url}/functions/v1/make-server-8061e72e`, secret });

    const sent = await dobbletap.offerSent(offer);

    expect(sent).toEqual({
      success: true,
      eventId: expect.any(String),
      syncStatus: { synced: true, error: null, retryQueued: false },
      result: sampleResults.offer_sent,
      duplicate: false,
      status: 200,
      attempts: 1,
    });
    expect(requests).toHaveLength(1);
    const [request] = requests as [Received];
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/functions/v1/make-server-8061e72e/webhooks/dttracker");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(request.headers.authorization).toBeUndefined();
    expect(request.envelope).toEqual({
      id: sent.eventId,
      event: "offer_sent",
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      data: offer,
    });
    expect(request.headers["webhook-id"]).toBe(sent.eventId);
    // The reference implementation accepts exactly the bytes that arrived.
    expect(() => new Webhook(secret).verify(request.body, signatureHeaders(request))).not.toThrow();
  });

  it("has one method per event Dobbletap receives, each posting to its endpoint (derived from the event map)", async () => {
    const secret = generateSecret();
    const { url, requests } = await serve();
    const dobbletap = createDobbletapClient({ baseUrl: `${url}/base/`, secret });

    expect(Object.keys(dobbletap).sort()).toEqual(["activationCancelled", "activationUpdated", "campaignCreated", "offerSent", "send"].sort());
    const results = [
      await dobbletap.campaignCreated(events.campaign_created.example.data),
      await dobbletap.activationUpdated(events.activation_updated.example.data),
      await dobbletap.activationCancelled(events.activation_cancelled.example.data),
      await dobbletap.offerSent(offer),
    ];

    expect(results.map((result) => result.syncStatus.synced)).toEqual([true, true, true, true]);
    expect(requests.map((request) => [request.envelope.event, request.path])).toEqual(
      eventsTo("dobbletap").map((name) => [name, `/base${endpoints[events[name].endpoint].path}`]),
    );
    for (const request of requests) {
      expect(() => new Webhook(secret).verify(request.body, signatureHeaders(request))).not.toThrow();
    }
  });

  it("send(event, data, { id }) reuses the id as envelope id and webhook-id, and keeps occurredAt", async () => {
    const { url, requests } = await serve();
    const dobbletap = createDobbletapClient({ baseUrl: url, secret: generateSecret() });
    const { id, occurredAt } = events.offer_sent.example;

    const first = await dobbletap.send("offer_sent", offer, { id, occurredAt });
    const again = await dobbletap.send("offer_sent", offer, { id, occurredAt: new Date(occurredAt) });

    expect([first.eventId, again.eventId]).toEqual([id, id]);
    expect(requests.map((request) => [request.envelope.id, request.headers["webhook-id"], request.envelope.occurredAt])).toEqual([
      [id, id, occurredAt],
      [id, id, occurredAt],
    ]);
  });

  it("send(...) reports duplicate: true when the receiver already processed the id", async () => {
    await serve((request) => success(request, { duplicate: true }));
    const dobbletap = createDobbletapClient({ baseUrl: server!.url, secret: generateSecret() });

    const sent = await dobbletap.send("offer_sent", offer, { id: events.offer_sent.example.id });

    expect(sent).toMatchObject({ success: true, duplicate: true, syncStatus: { synced: true } });
  });

  it("sends Authorization: Bearer <token> when bearerToken is configured", async () => {
    const { url, requests } = await serve();
    // A JWT-shaped stand-in made at run time: no token, not even a fake one, is committed.
    const bearerToken = ['{"alg":"none"}', `{"role":"test-${crypto.randomUUID()}"}`, "unsigned"]
      .map((part) => Buffer.from(part).toString("base64url"))
      .join(".");
    const dobbletap = createDobbletapClient({ baseUrl: url, secret: generateSecret(), bearerToken });

    await dobbletap.campaignCreated(events.campaign_created.example.data);

    expect(requests[0]?.headers.authorization).toBe(`Bearer ${bearerToken}`);
  });

  it("signs with every secret during a rotation: either secret verifies", async () => {
    const [current, next] = [generateSecret(), generateSecret()];
    const { url, requests } = await serve();
    const dobbletap = createDobbletapClient({ baseUrl: url, secret: [current, next] });

    await dobbletap.offerSent(offer);

    const [request] = requests as [Received];
    expect(String(request.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(() => new Webhook(current).verify(request.body, signatureHeaders(request))).not.toThrow();
    expect(() => new Webhook(next).verify(request.body, signatureHeaders(request))).not.toThrow();
  });

  it("sends the validated data: text is trimmed and unknown fields are not sent", async () => {
    const { url, requests } = await serve();
    const dobbletap = createDobbletapClient({ baseUrl: url, secret: generateSecret() });
    const messy = { offer: { ...offer.offer, message: "  Hello!  ", internalNote: "not for Dobbletap" } };

    await dobbletap.offerSent(messy as typeof offer);

    const sentOffer = (requests[0]!.envelope.data as typeof offer).offer;
    expect(sentOffer.message).toBe("Hello!");
    expect(sentOffer).not.toHaveProperty("internalNote");
  });
});

describe("createDttrackerClient(options)", () => {
  it("creatorsSynced({ creators }) posts to {baseUrl}/creator-sync-from-dobbletap; offerAccepted/offerDeclined to /dobbletap-webhooks", async () => {
    const secret = generateSecret();
    const { url, requests } = await serve();
    const dttracker = createDttrackerClient({ baseUrl: `${url}/functions/v1`, secret });

    expect(Object.keys(dttracker).sort()).toEqual(["creatorsSynced", "offerAccepted", "offerDeclined", "send"]);
    const synced = await dttracker.creatorsSynced(creators);
    await dttracker.offerAccepted(events.offer_accepted.example.data);
    await dttracker.offerDeclined(events.offer_declined.example.data);

    expect(synced.result).toEqual(sampleResults.creators_synced);
    expect(requests.map((request) => request.path)).toEqual([
      "/functions/v1/creator-sync-from-dobbletap",
      "/functions/v1/dobbletap-webhooks",
      "/functions/v1/dobbletap-webhooks",
    ]);
    for (const request of requests) {
      expect(() => new Webhook(secret).verify(request.body, signatureHeaders(request))).not.toThrow();
    }
  });
});

describe("send(...) rejects what breaks the contract before any request", () => {
  it("offerSent(data) with a float amount rejects with VALIDATION_FAILED naming data.offer.amount.amountMinor; the server saw nothing", async () => {
    const { url, requests } = await serve();
    const dobbletap = createDobbletapClient({ baseUrl: url, secret: generateSecret() });
    const bad = { offer: { ...offer.offer, amount: { currency: "NGN", amountMinor: 75000.5 } } };

    const error = await rejection(dobbletap.offerSent(bad));

    expect(error).toMatchObject({ name: "RequestValidationError", code: "VALIDATION_FAILED" });
    expect(error.issues.map((issue) => issue.path)).toEqual(["data.offer.amount.amountMinor"]);
    expect(error.message).toContain("data.offer.amount.amountMinor");
    expect(requests).toHaveLength(0);
  });

  it("creatorsSynced(data) with one creator object instead of creators[] rejects naming data.creators (production failure #2)", async () => {
    const { url, requests } = await serve();
    const dttracker = createDttrackerClient({ baseUrl: url, secret: generateSecret() });

    const error = await rejection(dttracker.creatorsSynced({ creators: creators.creators[0] } as never));

    expect(error.issues[0]?.path).toBe("data.creators");
    expect(requests).toHaveLength(0);
  });

  it("creatorsSynced(data) with status 'pending' rejects naming data.creators.0.status (production failure #3)", async () => {
    const { url, requests } = await serve();
    const dttracker = createDttrackerClient({ baseUrl: url, secret: generateSecret() });
    const pending = { creators: [{ ...creators.creators[0]!, status: "pending" }] };

    const error = await rejection(dttracker.creatorsSynced(pending as never));

    expect(error.issues.map((issue) => issue.path)).toEqual(["data.creators.0.status"]);
    expect(requests).toHaveLength(0);
  });

  it("send(event, data, { id }) with an id that is not a UUID rejects naming id", async () => {
    const { url, requests } = await serve();
    const dobbletap = createDobbletapClient({ baseUrl: url, secret: generateSecret() });

    const error = await rejection(dobbletap.send("offer_sent", offer, { id: "offer-123" }));

    expect(error).toMatchObject({ name: "RequestValidationError", code: "VALIDATION_FAILED", issues: [{ path: "id" }] });
    expect(requests).toHaveLength(0);
  });

  it("send(event, data, { occurredAt }) with a timestamp that is not ISO-8601 UTC rejects naming occurredAt", async () => {
    const dobbletap = createDobbletapClient({ baseUrl: "http://127.0.0.1:9", secret: generateSecret() });

    const error = await rejection(dobbletap.send("offer_sent", offer, { occurredAt: "08/02/2026" }));

    expect(error.issues[0]?.path).toBe("occurredAt");
  });

  it("send(event, ...) with an event the party does not receive rejects naming event (for untyped callers)", async () => {
    const { url, requests } = await serve();
    const dobbletap = createDobbletapClient({ baseUrl: url, secret: generateSecret() });

    const error = await rejection(dobbletap.send("creators_synced" as "offer_sent", creators as never));

    expect(error.issues[0]?.path).toBe("event");
    expect(error.message).toContain("campaign_created, activation_updated, activation_cancelled, offer_sent");
    expect(requests).toHaveLength(0);
  });

  it('send("creators_synced", 101 creators) rejects before sending, naming data.creators (v1.1: 1 to 100 per event)', async () => {
    const dttracker = createDttrackerClient({ baseUrl: "http://127.0.0.1:9", secret: generateSecret() });
    const creator = creators.creators[0]!;
    const many = Array.from({ length: 101 }, () => creator);

    const error = await rejection(dttracker.send("creators_synced", { creators: many }));

    expect(error.issues.map((issue) => issue.path)).toEqual(["data.creators"]);
    expect(error.message).toMatch(/at most 100 creators/);
  });
});

describe("createClient(party, options) refuses unusable options at once", () => {
  it("throws a SignatureError for a secret that is not whsec_<base64>, without repeating it", () => {
    const attempt = () => createDobbletapClient({ baseUrl: "http://127.0.0.1:9", secret: "hunter2-not-a-secret" });
    expect(attempt).toThrow();
    try {
      attempt();
    } catch (error) {
      expect(isSignatureError(error)).toBe(true);
      expect(String((error as Error).message)).not.toContain("hunter2");
    }
  });

  it("throws for a baseUrl that is not an absolute http(s) URL", () => {
    expect(() => createDttrackerClient({ baseUrl: "functions/v1", secret: generateSecret() })).toThrow(/baseUrl/);
    expect(() => createDttrackerClient({ baseUrl: "ftp://example.com", secret: generateSecret() })).toThrow(/baseUrl/);
    const withPassword = () => createDttrackerClient({ baseUrl: "https://user:pass-word@example.com", secret: generateSecret() });
    expect(withPassword).toThrow(/must not include credentials/);
    expect(withPassword).not.toThrow(/pass-word/);
  });

  it("throws for a bearer token with a line break and for an invalid retry policy", () => {
    expect(() => createClient("dobbletap", { baseUrl: "http://x", secret: generateSecret(), bearerToken: "a\nb" })).toThrow(/bearerToken/);
    expect(() => createClient("dobbletap", { baseUrl: "http://x", secret: generateSecret(), retry: { attempts: 0 } })).toThrow(/retry.attempts/);
  });
});

describe("syncStatus reports what the other side answered", () => {
  const send = async (script: Script, event: EventName = "offer_sent"): Promise<SendResult> => {
    await serve(script);
    const dobbletap = createDobbletapClient({ baseUrl: server!.url, secret: generateSecret(), retry: fast });
    return event === "offer_sent" ? dobbletap.offerSent(offer) : dobbletap.campaignCreated(events.campaign_created.example.data);
  };

  it("a 200 { ok: true } is synced: false with INVALID_ANSWER (production failure #5: 'ok' that created nothing)", async () => {
    const sent = await send(() => ({ status: 200, json: { ok: true } }));

    expect(sent).toMatchObject({
      success: false,
      status: 200,
      attempts: 1,
      syncStatus: { synced: false, error: { code: "INVALID_ANSWER" }, retryQueued: false },
    });
    expect(isInvalidAnswerError(sent.failure)).toBe(true);
    expect(sent.failure).toMatchObject({ name: "InvalidAnswerError", code: "INVALID_ANSWER", status: 200 });
    expect(sent.syncStatus.error?.message).toMatch(/not with the contract's success answer/);
    expect(sent.result).toBeUndefined();
  });

  it("a creators_synced 200 that maps none of the creators sent is synced: false with INVALID_ANSWER", async () => {
    await serve((request) => ({
      status: 200,
      json: { success: true, eventId: request.envelope.id, result: { synced: [], failed: [] } },
    }));
    const dttracker = createDttrackerClient({ baseUrl: server!.url, secret: generateSecret(), retry: fast });
    const sent = await dttracker.creatorsSynced(events.creators_synced.example.data);

    expect(sent.syncStatus).toMatchObject({ synced: false, error: { code: "INVALID_ANSWER" }, retryQueued: false });
    expect(sent.syncStatus.error?.message).toMatch(/maps no outcome for creator 29f99241-53d1-4f78-b9b0-2169f4a15a49/);
  });

  it("a 200 HTML page is synced: false with INVALID_ANSWER", async () => {
    const sent = await send(() => ({ status: 200, text: "<html>OK</html>", headers: { "content-type": "text/html" } }));

    expect(sent.syncStatus).toMatchObject({ synced: false, error: { code: "INVALID_ANSWER" } });
    expect(isInvalidAnswerError(sent.failure)).toBe(true);
  });

  it("a 200 success for another eventId is synced: false with INVALID_ANSWER naming eventId", async () => {
    const sent = await send((request) => success({ ...request, envelope: { ...request.envelope, id: crypto.randomUUID() } }));

    expect(sent.syncStatus).toMatchObject({ synced: false, error: { code: "INVALID_ANSWER" } });
    expect((sent.failure as InvalidAnswerError).issues.map((issue) => issue.path)).toEqual(["eventId"]);
  });

  it("a 200 success whose result is another event's is synced: false (the answer must name this event's record)", async () => {
    const sent = await send((request) => ({
      status: 200,
      json: { success: true, eventId: request.envelope.id, result: sampleResults.campaign_created },
    }));

    expect(sent.syncStatus).toMatchObject({ synced: false, error: { code: "INVALID_ANSWER" } });
  });

  it("404 CAMPAIGN_NOT_FOUND is reported as a RemoteError, after one attempt, not queued", async () => {
    const message = "Campaign 5d7c2f1e-8a4b-4c3d-9e2f-1a0b3c4d5e6f is not known here. Send campaign_created first.";
    const sent = await send(() => refuse(404, "CAMPAIGN_NOT_FOUND", message));

    expect(sent).toMatchObject({
      success: false,
      status: 404,
      attempts: 1,
      syncStatus: { synced: false, error: { code: "CAMPAIGN_NOT_FOUND" }, retryQueued: false },
    });
    expect(isRemoteError(sent.failure)).toBe(true);
    expect(sent.failure).toMatchObject({ name: "RemoteError", code: "CAMPAIGN_NOT_FOUND", status: 404 });
    expect(sent.syncStatus.error?.message).toContain(message);
  });

  it("422 VALIDATION_FAILED keeps the receiver's issues", async () => {
    const sent = await send(() => ({
      status: 422,
      json: { success: false, error: { code: "VALIDATION_FAILED", message: "bad", issues: [{ path: "data.offer.id", message: "taken" }] } },
    }));

    expect(sent.failure).toMatchObject({ name: "RemoteError", code: "VALIDATION_FAILED", status: 422, issues: [{ path: "data.offer.id", message: "taken" }] });
    expect(sent.attempts).toBe(1);
  });

  it("a 502 HTML page from a gateway is UNEXPECTED_RESPONSE (retried, then reported)", async () => {
    const sent = await send(() => ({ status: 502, text: "<html>Bad gateway</html>", headers: { "content-type": "text/html" } }));

    expect(sent).toMatchObject({ status: 502, attempts: 4, syncStatus: { error: { code: "UNEXPECTED_RESPONSE" } } });
    expect(isUnexpectedResponseError(sent.failure)).toBe(true);
    expect(sent.syncStatus.error?.message).toMatch(/HTTP 502 .*text\/html.*Not queued \(no retryQueue configured\)/);
  });

  it("a 3xx is not followed (a redirected POST would arrive as a GET) and is reported as UNEXPECTED_RESPONSE", async () => {
    const sent = await send(() => ({ status: 307, headers: { location: "http://127.0.0.1:9/elsewhere" } }));

    expect(sent).toMatchObject({ status: 307, attempts: 1, syncStatus: { error: { code: "UNEXPECTED_RESPONSE" } } });
    expect(server!.requests).toHaveLength(1);
  });
});
