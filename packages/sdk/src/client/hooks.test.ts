/**
 * What a sender lets out: hook payloads for logging, error messages and results. None may carry a
 * secret, a bearer token or a signature, whatever the other side answers (even one that echoes
 * them back), so everything is serialised and searched.
 */
import { events } from "@dttracker-dobbletap/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { generateSecret } from "../signing/index.js";
import { createDobbletapClient } from "./create-client.js";
import type { DeliveryHooks, SendResult } from "./types.js";
import { createMemoryRetryQueue } from "./retry-queue.js";
import { closedPortUrl, startServer, success, type Received, type TestServer } from "../../test/support/test-server.js";

const fast = { attempts: 2, initialDelayMs: 1, maxDelayMs: 5 };
const offer = events.offer_sent.example.data;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Serialises errors with their message, name and cause chain (JSON.stringify would drop them). */
function serialise(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, function (this: unknown, _key, item: unknown) {
    if (item instanceof Error) {
      if (seen.has(item)) return "[seen]";
      seen.add(item);
      return { ...item, name: item.name, message: item.message, stack: item.stack, cause: item.cause };
    }
    return item;
  });
}

describe("hooks", () => {
  it("onAttempt, onResponse and onResult are called per attempt, per answer and per send", async () => {
    server = await startServer((request, index) => (index === 0 ? { status: 503 } : success(request)));
    const calls: Array<[string, unknown]> = [];
    const hooks: DeliveryHooks = {
      onAttempt: (info) => calls.push(["attempt", info]),
      onResponse: (info) => calls.push(["response", info]),
      onResult: (result) => calls.push(["result", result]),
    };
    const client = createDobbletapClient({ baseUrl: server.url, secret: generateSecret(), retry: fast, hooks });

    const sent = await client.offerSent(offer);

    const { eventId: id } = sent;
    const url = `${server.url}/webhooks/dttracker`;
    expect(calls).toEqual([
      ["attempt", { event: "offer_sent", id, attempt: 1, url }],
      ["response", { event: "offer_sent", id, attempt: 1, status: 503, ms: expect.any(Number) }],
      ["attempt", { event: "offer_sent", id, attempt: 2, url }],
      ["response", { event: "offer_sent", id, attempt: 2, status: 200, ms: expect.any(Number) }],
      ["result", sent],
    ]);
  });

  it("a hook that throws or rejects does not change the outcome", async () => {
    server = await startServer();
    const client = createDobbletapClient({
      baseUrl: server.url,
      secret: generateSecret(),
      hooks: {
        onAttempt: () => {
          throw new Error("logger down");
        },
        onResponse: (async () => {
          throw new Error("logger down");
        }) as () => void,
        onResult: () => {
          throw new Error("logger down");
        },
      },
    });

    await expect(client.offerSent(offer)).resolves.toMatchObject({ success: true });
  });
});

describe("no secret, token or signature gets out", () => {
  it("hook payloads, results, failures and queued deliveries never contain the secret, the bearer token or a signature", async () => {
    const secrets = [generateSecret(), generateSecret()];
    // A JWT-shaped stand-in made at run time: no token, not even a fake one, is committed.
    const bearerToken = ['{"alg":"none"}', `{"role":"test-${crypto.randomUUID()}"}`, "unsigned"]
      .map((part) => Buffer.from(part).toString("base64url"))
      .join(".");
    const leaks = [...secrets, ...secrets.map((secret) => secret.slice("whsec_".length)), bearerToken];
    const seenSignatures: string[] = [];
    const collected: unknown[] = [];
    const queue = createMemoryRetryQueue();
    const hooks: DeliveryHooks = {
      onAttempt: (info) => collected.push(info),
      onResponse: (info) => collected.push(info),
      onResult: (result) => collected.push(result),
    };
    // A careless receiver that echoes everything it got into its error messages and issues.
    const echo = (request: Received, status: number) => ({
      status,
      json: {
        success: false,
        error: {
          code: status === 401 ? "UNAUTHORIZED" : "INTERNAL",
          message: `Rejected ${request.headers.authorization} ${request.headers["webhook-signature"]} with ${secrets[0]}`,
          issues: [{ path: "headers", message: String(request.headers["webhook-signature"]) }],
        },
      },
    });
    server = await startServer((request, index) => {
      seenSignatures.push(...String(request.headers["webhook-signature"]).split(" "));
      if (index === 0) return echo(request, 401);
      if (index < 3) return echo(request, 500);
      if (index === 3) return { status: 200, json: { ok: true, token: request.headers.authorization } };
      return success(request);
    });
    const options = { secret: secrets, bearerToken, retry: fast, hooks, retryQueue: queue };
    const client = createDobbletapClient({ baseUrl: server.url, ...options });
    const unreachable = createDobbletapClient({ baseUrl: await closedPortUrl(), ...options });

    const results: SendResult[] = [
      await client.offerSent(offer), // 401 UNAUTHORIZED
      await client.offerSent(offer), // 500 ×2, queued
      await client.offerSent(offer), // 200 not a success: INVALID_ANSWER
      await client.offerSent(offer), // synced
      await unreachable.offerSent(offer), // NETWORK_ERROR, queued
    ];
    await client.send("offer_sent", offer, { id: "not-a-uuid" }).catch((error: unknown) => collected.push(error));

    expect(results.map((result) => result.syncStatus.error?.code ?? "synced")).toEqual([
      "UNAUTHORIZED",
      "INTERNAL",
      "INVALID_ANSWER",
      "synced",
      "NETWORK_ERROR",
    ]);
    const everything = serialise({ results, collected, queued: queue.list(), messages: results.map((result) => result.failure?.message) });
    expect(seenSignatures.length).toBeGreaterThan(0);
    for (const needle of [...leaks, ...seenSignatures]) expect(everything).not.toContain(needle);
    expect(everything).not.toMatch(/v1,[A-Za-z0-9+/]{20}/);
    expect(everything).toContain("[redacted]");
  });

  it("the url given to hooks, messages and the queue has no query string (it may carry a key)", async () => {
    const onAttempt = vi.fn();
    const queue = createMemoryRetryQueue();
    const base = await closedPortUrl();
    const client = createDobbletapClient({
      baseUrl: `${base}/functions/v1/make-server-8061e72e?apikey=query-key`,
      secret: generateSecret(),
      retry: { ...fast, attempts: 1 },
      retryQueue: queue,
      hooks: { onAttempt },
    });

    const sent = await client.offerSent(offer);

    const shown = serialise([onAttempt.mock.calls, sent, queue.list()]);
    expect(shown).not.toMatch(/query-key|apikey/);
    expect(onAttempt.mock.calls[0]?.[0].url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/functions\/v1\/make-server-8061e72e\/webhooks\/dttracker$/);
  });
});
