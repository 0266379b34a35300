/**
 * Retries, against a real loopback receiver with small delays: what is retried (network errors,
 * timeouts, 408, 429, 5xx) and what never is (a 4xx contract error), that every attempt carries the
 * same webhook-id with a fresh timestamp and signature, that Retry-After is honoured, and that the
 * whole send is bounded.
 */
import { events } from "@dttracker-dobbletap/contracts";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it, vi } from "vitest";
import { isTransportError } from "../errors/index.js";
import { generateSecret } from "../signing/index.js";
import { createDobbletapClient } from "./create-client.js";
import type { ClientOptions } from "./types.js";
import { backoffDelay, defaultRetryPolicy, isRetryableStatus, parseRetryAfter, resolveRetryPolicy } from "./retry.js";
import { closedPortUrl, refuse, sampleResults, startServer, success, type Received, type Script, type TestServer } from "../../test/support/test-server.js";

const fast = { initialDelayMs: 1, maxDelayMs: 5 };
const offer = events.offer_sent.example.data;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(script: Script, options: Partial<ClientOptions> = {}) {
  server = await startServer(script);
  const secret = generateSecret();
  const client = createDobbletapClient({ baseUrl: server.url, secret, retry: fast, ...options });
  return { client, secret, requests: server.requests };
}

function signatureHeaders(request: Received): Record<string, string> {
  return {
    "webhook-id": String(request.headers["webhook-id"]),
    "webhook-timestamp": String(request.headers["webhook-timestamp"]),
    "webhook-signature": String(request.headers["webhook-signature"]),
  };
}

describe("retries", () => {
  it("offerSent(data) retries a 503 then succeeds, with one webhook-id and a fresh timestamp and signature per attempt", async () => {
    // A clock that moves one second per signature, so each attempt must carry a new timestamp.
    let clock = Date.now();
    const now = () => (clock += 1000);
    const { client, secret, requests } = await clientFor((request, index) => (index < 2 ? refuse(503, "INTERNAL", "Try again.") : success(request)), { now });

    const sent = await client.offerSent(offer);

    expect(sent).toMatchObject({ success: true, attempts: 3, status: 200, syncStatus: { synced: true } });
    const headers = requests.map(signatureHeaders);
    expect(new Set(headers.map((header) => header["webhook-id"]))).toEqual(new Set([sent.eventId]));
    expect(new Set(headers.map((header) => header["webhook-timestamp"])).size).toBe(3);
    expect(new Set(headers.map((header) => header["webhook-signature"])).size).toBe(3);
    // Same bytes every time, each attempt verifiable on its own.
    expect(new Set(requests.map((request) => request.body)).size).toBe(1);
    for (const request of requests) expect(() => new Webhook(secret).verify(request.body, signatureHeaders(request))).not.toThrow();
  });

  it.each([
    [408, "UNEXPECTED_RESPONSE"],
    [429, "UNEXPECTED_RESPONSE"],
    [500, "INTERNAL"],
    [504, "UNEXPECTED_RESPONSE"],
    [507, "UNEXPECTED_RESPONSE"],
  ])("send(...) retries a %i up to retry.attempts", async (status, code) => {
    const { client, requests } = await clientFor(() => (code === "INTERNAL" ? refuse(status, "INTERNAL", "Something failed.") : { status }));

    const sent = await client.send("offer_sent", offer);

    expect(sent).toMatchObject({ success: false, attempts: 4, status, syncStatus: { error: { code } } });
    expect(requests).toHaveLength(4);
  });

  it.each([
    [400, "MALFORMED_JSON"],
    [401, "UNAUTHORIZED"],
    [404, "CAMPAIGN_NOT_FOUND"],
    [409, "INVALID_STATE"],
    [413, "PAYLOAD_TOO_LARGE"],
    [422, "VALIDATION_FAILED"],
  ])("send(...) never retries a %i %s (a contract error)", async (status, code) => {
    const { client, requests } = await clientFor(() => refuse(status, code, "No."));

    const sent = await client.send("offer_sent", offer);

    expect(sent).toMatchObject({ success: false, attempts: 1, status, syncStatus: { error: { code }, retryQueued: false } });
    expect(requests).toHaveLength(1);
  });

  it("send(...) never retries a 403 without a contract body either", async () => {
    const { client, requests } = await clientFor(() => ({ status: 403, text: "Forbidden" }));

    const sent = await client.send("offer_sent", offer);

    expect(sent).toMatchObject({ attempts: 1, status: 403, syncStatus: { error: { code: "UNEXPECTED_RESPONSE" } } });
    expect(requests).toHaveLength(1);
  });

  it("send(...) honours Retry-After (seconds) on a 503: the retry waits for it", async () => {
    const { client, requests } = await clientFor((request, index) =>
      index === 0 ? refuse(503, "INTERNAL", "Busy.", { "retry-after": "1" }) : success(request),
    );

    const sent = await client.send("offer_sent", offer);

    expect(sent.success).toBe(true);
    const gap = requests[1]!.at - requests[0]!.at;
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(gap).toBeLessThan(1800);
  });

  it("send(...) honours Retry-After on a 429: a 120 s wait, measured on fake timers with a fetch override", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const { id } = events.offer_sent.example;
      const sentAt: number[] = [];
      const fetch = vi.fn(async () => {
        sentAt.push(Date.now());
        return sentAt.length === 1
          ? new Response(null, { status: 429, headers: { "retry-after": "120" } })
          : Response.json({ success: true, eventId: id, result: sampleResults.offer_sent });
      });
      const client = createDobbletapClient({
        baseUrl: "http://dobbletap.test",
        secret: generateSecret(),
        fetch,
        retry: { ...fast, totalTimeoutMs: 300_000, maxRetryAfterMs: 300_000 },
      });

      const pending = client.send("offer_sent", offer, { id });
      await vi.advanceTimersByTimeAsync(119_000);
      expect(fetch).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1_000);

      expect(await pending).toMatchObject({ success: true, attempts: 2 });
      expect(sentAt[1]! - sentAt[0]!).toBe(120_000);
    } finally {
      vi.useRealTimers();
    }
  });

  it("send(...) does not wait for a Retry-After longer than retry.maxRetryAfterMs: it gives up at once", async () => {
    const { client, requests } = await clientFor(() => refuse(503, "INTERNAL", "Down for maintenance.", { "retry-after": "3600" }), {
      retry: { ...fast, maxRetryAfterMs: 5_000 },
    });
    const started = performance.now();

    const sent = await client.send("offer_sent", offer);

    expect(performance.now() - started).toBeLessThan(1000);
    expect(requests).toHaveLength(1);
    expect(sent.syncStatus.error?.message).toMatch(/retried after 3600 s, longer than retry.maxRetryAfterMs/);
  });

  it("send(...) does not wait for a Retry-After longer than what is left of retry.totalTimeoutMs", async () => {
    const { client, requests } = await clientFor(() => refuse(503, "INTERNAL", "Busy.", { "retry-after": "5" }), {
      retry: { ...fast, totalTimeoutMs: 2_000 },
    });
    const started = performance.now();

    const sent = await client.send("offer_sent", offer);

    expect(performance.now() - started).toBeLessThan(1000);
    expect(requests).toHaveLength(1);
    expect(sent.syncStatus.error?.message).toMatch(/retried after 5 s, longer than what was left of retry.totalTimeoutMs/);
  });

  it("send(...) reports TIMEOUT when an attempt gets no answer within timeoutMs, and retries it", async () => {
    const { client, requests } = await clientFor((request, index) => (index === 0 ? "hang" : success(request)), { timeoutMs: 150 });

    const sent = await client.send("offer_sent", offer);

    expect(sent).toMatchObject({ success: true, attempts: 2 });
    expect(requests).toHaveLength(2);
    expect(requests[0]!.headers["webhook-id"]).toBe(requests[1]!.headers["webhook-id"]);
  });

  it("send(...) resolves with TransportError TIMEOUT when every attempt times out", async () => {
    const { client, requests } = await clientFor(() => "hang", { timeoutMs: 50, retry: { ...fast, attempts: 3 } });

    const sent = await client.send("offer_sent", offer);

    expect(sent).toMatchObject({ success: false, attempts: 3, syncStatus: { error: { code: "TIMEOUT" }, retryQueued: false } });
    expect(sent.status).toBeUndefined();
    expect(isTransportError(sent.failure)).toBe(true);
    expect(sent.syncStatus.error?.message).toMatch(/did not answer offer_sent .* within 50 ms on any of 3 attempts/);
    expect(requests).toHaveLength(3);
  });

  it("send(...) with retry.totalTimeoutMs shorter than timeoutMs ends at the total bound, after one attempt, and says so", async () => {
    const { client, requests } = await clientFor(() => "hang", { timeoutMs: 10_000, retry: { ...fast, totalTimeoutMs: 200 } });
    const started = performance.now();

    const sent = await client.send("offer_sent", offer);

    expect(performance.now() - started).toBeLessThan(2_000);
    expect(sent).toMatchObject({ success: false, attempts: 1, syncStatus: { error: { code: "TIMEOUT" } } });
    expect(sent.syncStatus.error?.message).toMatch(/did not finish within retry.totalTimeoutMs \(200 ms; 1 attempt made\)/);
    expect(requests).toHaveLength(1);
  });

  it("send(...) to a closed port resolves with TransportError NETWORK_ERROR after every attempt", async () => {
    const client = createDobbletapClient({ baseUrl: await closedPortUrl(), secret: generateSecret(), retry: fast });

    const sent = await client.send("offer_sent", offer);

    expect(sent).toMatchObject({ success: false, attempts: 4, syncStatus: { synced: false, error: { code: "NETWORK_ERROR" } } });
    expect(isTransportError(sent.failure)).toBe(true);
    expect(sent.syncStatus.error?.message).toMatch(/Could not reach Dobbletap at http:\/\/127\.0\.0\.1:\d+\/webhooks\/dttracker .*ECONNREFUSED/);
  });

  it("send(...) treats a connection dropped mid-request as a network error and retries it", async () => {
    const { client, requests } = await clientFor((request, index) => (index === 0 ? "destroy" : success(request)));

    const sent = await client.send("offer_sent", offer);

    expect(sent).toMatchObject({ success: true, attempts: 2 });
    expect(requests).toHaveLength(2);
  });

  it("send(...) is bounded by retry.totalTimeoutMs, attempts and waits included", async () => {
    const { client } = await clientFor(() => refuse(503, "INTERNAL", "Busy."), {
      timeoutMs: 1_000,
      retry: { attempts: 50, initialDelayMs: 40, maxDelayMs: 40, totalTimeoutMs: 300 },
    });
    const started = performance.now();

    const sent = await client.send("offer_sent", offer);

    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(700);
    expect(sent.attempts).toBeLessThan(50);
    expect(sent.syncStatus.error?.code).toBe("TIMEOUT");
    expect(sent.syncStatus.error?.message).toMatch(/did not finish within retry.totalTimeoutMs \(300 ms/);
  });

  it("send(...) with retry: false makes exactly one attempt", async () => {
    const { client, requests } = await clientFor(() => ({ status: 503 }), { retry: false });

    const sent = await client.send("offer_sent", offer);

    expect(sent.attempts).toBe(1);
    expect(requests).toHaveLength(1);
  });

  it("send(...) treats an unrecognised error thrown by a custom fetch as a network error and retries it", async () => {
    const fetch = vi.fn(async () => {
      throw new Error("socket hang up");
    });
    const client = createDobbletapClient({ baseUrl: "http://127.0.0.1:9", secret: generateSecret(), retry: fast, fetch });

    const sent = await client.send("offer_sent", offer);

    expect(fetch).toHaveBeenCalledTimes(4);
    expect(sent.syncStatus.error?.code).toBe("NETWORK_ERROR");
  });

  it("send(..., { signal }) stops when the caller aborts: no more attempts, not queued", async () => {
    const enqueue = vi.fn();
    const { client, requests } = await clientFor(() => "hang", { retryQueue: { enqueue }, timeoutMs: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const sent = await client.send("offer_sent", offer, { signal: controller.signal });

    expect(sent).toMatchObject({ success: false, attempts: 1, syncStatus: { error: { code: "NETWORK_ERROR" }, retryQueued: false } });
    expect(sent.syncStatus.error?.message).toMatch(/aborted by the caller's signal/);
    expect(requests).toHaveLength(1);
    expect(enqueue).not.toHaveBeenCalled();
  });
});

describe("retry policy", () => {
  it("resolveRetryPolicy(partial) fills the defaults; false is one attempt", () => {
    expect(resolveRetryPolicy(undefined)).toEqual(defaultRetryPolicy);
    expect(defaultRetryPolicy).toEqual({ attempts: 4, initialDelayMs: 500, maxDelayMs: 8_000, totalTimeoutMs: 30_000, maxRetryAfterMs: 60_000 });
    expect(resolveRetryPolicy({ attempts: 2, maxDelayMs: undefined })).toEqual({ ...defaultRetryPolicy, attempts: 2 });
    expect(resolveRetryPolicy(false).attempts).toBe(1);
    expect(() => resolveRetryPolicy({ attempts: 1.5 })).toThrow(RangeError);
    expect(() => resolveRetryPolicy({ initialDelayMs: -1 })).toThrow(RangeError);
  });

  it("backoffDelay(policy, n) doubles from initialDelayMs and is capped at maxDelayMs before jitter", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(defaultRetryPolicy, n))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it("isRetryableStatus(status) is true for 408, 429 and 5xx only", () => {
    expect([408, 429, 500, 502, 503, 504, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 301, 400, 401, 403, 404, 409, 413, 415, 422].some(isRetryableStatus)).toBe(false);
  });

  it("parseRetryAfter(value) reads delay seconds and HTTP dates", () => {
    const now = Date.UTC(2026, 1, 8, 10, 15, 0);
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter("Sun, 08 Feb 2026 10:15:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Sun, 08 Feb 2026 10:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it("send(...) waits a jittered backoff between attempts: never more than the capped delay", async () => {
    const random = vi.spyOn(Math, "random").mockReturnValue(0.5);
    try {
      const { client, requests } = await clientFor((request, index) => (index < 2 ? { status: 500 } : success(request)), {
        retry: { initialDelayMs: 200, maxDelayMs: 300 },
      });

      await client.send("offer_sent", offer);

      // Full jitter at 0.5: 100 ms, then min(300, 400) × 0.5 = 150 ms.
      const gaps = [requests[1]!.at - requests[0]!.at, requests[2]!.at - requests[1]!.at];
      expect(gaps[0]).toBeGreaterThanOrEqual(95);
      expect(gaps[0]).toBeLessThan(190);
      expect(gaps[1]).toBeGreaterThanOrEqual(145);
      expect(gaps[1]).toBeLessThan(260);
    } finally {
      random.mockRestore();
    }
  });
});
