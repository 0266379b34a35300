/**
 * The hand-off to a retry queue when every attempt failed in a way that can succeed later
 * (production failure #6: the brand was charged and the offer never arrived). `retryQueued` is true
 * only when the queue accepted the delivery; contract errors are never queued; `drain` resends with
 * the original id.
 */
import { events } from "@dttracker-dobbletap/contracts";
import { afterEach, describe, expect, it, vi } from "vitest";
import { generateSecret } from "../signing/index.js";
import { createDobbletapClient } from "./create-client.js";
import type { ClientOptions } from "./types.js";
import { createMemoryRetryQueue, type QueuedDelivery, type RetryQueue } from "./retry-queue.js";
import { closedPortUrl, refuse, startServer, success, type Script, type TestServer } from "../../test/support/test-server.js";

const fast = { attempts: 2, initialDelayMs: 1, maxDelayMs: 5 };
const offer = events.offer_sent.example.data;
const campaign = events.campaign_created.example.data;

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(script: Script, options: Partial<ClientOptions> = {}) {
  server = await startServer(script);
  const client = createDobbletapClient({ baseUrl: `${server.url}/fn?apikey=not-for-logs`, secret: generateSecret(), retry: fast, ...options });
  return { client, requests: server.requests };
}

describe("hand-off to the retry queue", () => {
  it("send(...) hands a delivery that kept failing with 503 to the queue and reports retryQueued: true", async () => {
    const queue = createMemoryRetryQueue();
    const { client } = await clientFor(() => refuse(503, "INTERNAL", "Down."), { retryQueue: queue });

    const sent = await client.offerSent(offer);

    expect(sent.syncStatus).toEqual({
      synced: false,
      error: { code: "INTERNAL", message: expect.stringContaining("Handed to the retry queue") },
      retryQueued: true,
    });
    expect(queue.size).toBe(1);
    const [delivery] = queue.list() as [QueuedDelivery];
    expect(delivery).toEqual({
      event: "offer_sent",
      id: sent.eventId,
      url: `${server!.url}/fn/webhooks/dttracker`,
      envelope: { id: sent.eventId, event: "offer_sent", occurredAt: expect.any(String), data: offer },
      attempts: 2,
      lastError: { code: "INTERNAL", message: expect.stringContaining("Dobbletap refused offer_sent") },
      queuedAt: expect.any(String),
    });
    // No secret, token, signature or query string in what is stored.
    expect(JSON.stringify(delivery)).not.toMatch(/whsec_|v1,|apikey|not-for-logs|signature/);
  });

  it("send(...) hands a network failure and a timeout to the queue", async () => {
    const queue = createMemoryRetryQueue();
    const unreachable = createDobbletapClient({ baseUrl: await closedPortUrl(), secret: generateSecret(), retry: fast, retryQueue: queue });
    const { client: slow } = await clientFor(() => "hang", { retryQueue: queue, timeoutMs: 30 });

    const refused = await unreachable.offerSent(offer);
    const timedOut = await slow.campaignCreated(campaign);

    expect(refused.syncStatus).toMatchObject({ error: { code: "NETWORK_ERROR" }, retryQueued: true });
    expect(timedOut.syncStatus).toMatchObject({ error: { code: "TIMEOUT" }, retryQueued: true });
    expect(queue.list().map((delivery) => delivery.lastError.code)).toEqual(["NETWORK_ERROR", "TIMEOUT"]);
  });

  it("send(...) reports retryQueued: false, saying the hand-off failed, when enqueue rejects", async () => {
    const queue: RetryQueue = {
      enqueue: vi.fn(async () => {
        throw new Error("connect ECONNREFUSED postgres://admin:s3cret@db/outbox");
      }),
    };
    const { client } = await clientFor(() => ({ status: 502 }), { retryQueue: queue });

    const sent = await client.offerSent(offer);

    expect(queue.enqueue).toHaveBeenCalledTimes(1);
    expect(sent.syncStatus.retryQueued).toBe(false);
    expect(sent.syncStatus.error?.message).toMatch(/hand-off to the retry queue failed \(Error\), so it is NOT queued/);
    expect(sent.syncStatus.error?.message).not.toContain("s3cret");
    expect(sent.failure?.message).toBe(sent.syncStatus.error?.message);
  });

  it("send(...) reports retryQueued: false when enqueue throws synchronously", async () => {
    const { client } = await clientFor(() => ({ status: 503 }), {
      retryQueue: {
        enqueue() {
          throw new TypeError("queue full");
        },
      },
    });

    const sent = await client.offerSent(offer);

    expect(sent.syncStatus).toMatchObject({ retryQueued: false, error: { message: expect.stringContaining("(TypeError)") } });
  });

  it.each([
    ["404 CAMPAIGN_NOT_FOUND", (() => refuse(404, "CAMPAIGN_NOT_FOUND", "Unknown campaign.")) as Script],
    ["422 VALIDATION_FAILED", (() => refuse(422, "VALIDATION_FAILED", "Bad.")) as Script],
    ["200 { ok: true } (INVALID_ANSWER)", (() => ({ status: 200, json: { ok: true } })) as Script],
  ])("send(...) never queues a %s: it would fail the same way again", async (_, script) => {
    const enqueue = vi.fn();
    const { client } = await clientFor(script, { retryQueue: { enqueue } });

    const sent = await client.offerSent(offer);

    expect(sent.syncStatus.retryQueued).toBe(false);
    expect(enqueue).not.toHaveBeenCalled();
  });
});

describe("createMemoryRetryQueue()", () => {
  it("drain(client) resends each delivery with its id and occurredAt and removes the ones that synced", async () => {
    const queue = createMemoryRetryQueue();
    let up = false;
    const { client, requests } = await clientFor((request) => (up ? success(request, { duplicate: true }) : { status: 503 }), {
      retryQueue: queue,
    });
    const first = await client.campaignCreated(campaign);
    const second = await client.offerSent(offer);
    expect(queue.size).toBe(2);
    const queuedEnvelopes = queue.list().map((delivery) => delivery.envelope);

    up = true;
    const report = await queue.drain(client);

    expect(report.synced.map((delivery) => delivery.id)).toEqual([first.eventId, second.eventId]);
    expect(report).toMatchObject({ dropped: [], remaining: 0 });
    expect(queue.size).toBe(0);
    const resent = requests.slice(-2).map((request) => request.envelope);
    expect(resent).toEqual(queuedEnvelopes);
  });

  it("drain(client) stops at the first delivery that still fails, keeping the order (campaign before offer)", async () => {
    const queue = createMemoryRetryQueue();
    const { client, requests } = await clientFor(() => ({ status: 503 }), { retryQueue: queue });
    await client.campaignCreated(campaign);
    await client.offerSent(offer);
    const before = requests.length;

    const report = await queue.drain(client);

    expect(report).toMatchObject({ synced: [], dropped: [], remaining: 2 });
    // Only the campaign was tried (2 attempts); the offer was not sent ahead of it.
    expect(requests.slice(before).map((request) => request.envelope.event)).toEqual(["campaign_created", "campaign_created"]);
    expect(queue.list().map((delivery) => [delivery.event, delivery.attempts])).toEqual([
      ["campaign_created", 4],
      ["offer_sent", 2],
    ]);
  });

  it("drain(client) drops a delivery the receiver now refuses with a contract error, and reports why", async () => {
    const queue = createMemoryRetryQueue();
    let answer: Script = () => ({ status: 503 });
    const { client } = await clientFor((request, index) => answer(request, index), { retryQueue: queue });
    await client.offerSent(offer);

    answer = () => refuse(409, "INVALID_STATE", "The campaign was cancelled.");
    const report = await queue.drain(client);

    expect(report.remaining).toBe(0);
    expect(report.dropped).toHaveLength(1);
    expect(report.dropped[0]?.result.syncStatus.error?.code).toBe("INVALID_STATE");
  });

  it("enqueue(delivery) keys by id: the same id again updates it in place; take() removes the oldest", () => {
    const queue = createMemoryRetryQueue();
    const delivery = (id: string, attempts: number): QueuedDelivery => ({
      event: "offer_sent",
      id,
      url: "https://example.supabase.co/functions/v1/make-server-8061e72e/webhooks/dttracker",
      envelope: { ...events.offer_sent.example, id },
      attempts,
      lastError: { code: "TIMEOUT", message: "…" },
      queuedAt: new Date().toISOString(),
    });
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];

    void queue.enqueue(delivery(a, 1));
    void queue.enqueue(delivery(b, 1));
    void queue.enqueue(delivery(a, 5));

    expect(queue.size).toBe(2);
    expect(queue.list().map((item) => [item.id, item.attempts])).toEqual([
      [a, 5],
      [b, 1],
    ]);
    expect(queue.take()?.id).toBe(a);
    expect(queue.take()?.id).toBe(b);
    expect(queue.take()).toBeUndefined();
    expect(queue.size).toBe(0);
  });
});
