/**
 * Round trip: any valid event a sender builds reaches the receiver's handler as the same typed
 * value, and the sender learns the result the handler returned. The sender's `fetch` is the
 * receiver itself (Request in, Response out), so each run costs microseconds; one property runs
 * the same over real loopback HTTP through the node:http adapter.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { endpoints, eventsAt, eventsTo, parseEventData, type EndpointId, type EventEnvelope, type EventName, type Party } from "@dttracker-dobbletap/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, createWebhookReceiver, generateSecret, type SendResult, type WebhookReceiver } from "../../src/index.js";
import { toNodeListener } from "../../src/node.js";
import { eventData } from "./arbitraries.js";
import { resultFor } from "./handlers.js";

const NUM_RUNS = 60;

/** fast-check's records have a null prototype; the receiver's values are plain objects. Same content, plain prototype. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  return value;
}

/** Receivers for every event `party` receives (one per endpoint), recording what each handler got and answered. */
function recordingReceiver(party: Party, secret: string) {
  const calls: Array<{ event: EventEnvelope; answered: unknown }> = [];
  const handler = (event: EventEnvelope) => {
    const answered = resultFor(event);
    calls.push({ event, answered });
    return answered;
  };
  const unexpected: unknown[] = [];
  // One receiver per endpoint of the party (an endpoint decides its handlers); the path routes.
  const receivers = new Map<EndpointId, WebhookReceiver>();
  for (const endpoint of Object.keys(endpoints) as EndpointId[]) {
    if (endpoints[endpoint].receiver !== party) continue;
    const handlers = Object.fromEntries(eventsAt(endpoint).map((name) => [name, handler]));
    receivers.set(endpoint, createWebhookReceiver({ endpoint, secrets: secret, handlers: handlers as never, onError: (error) => unexpected.push(error) }));
  }
  const handle = (request: Request) => {
    const path = new URL(request.url).pathname;
    const endpoint = [...receivers.keys()].find((candidate) => path.endsWith(endpoints[candidate].path))!;
    return receivers.get(endpoint)!.fetch(request);
  };
  return { handle, receivers, calls, unexpected };
}

async function assertRoundTrip<E extends EventName>(
  event: E,
  client: { send(event: never, data: never): Promise<SendResult> },
  receiver: ReturnType<typeof recordingReceiver>,
  numRuns: number,
) {
  await fc.assert(
    fc.asyncProperty(eventData[event], async (data) => {
      // The generator itself must only make what the contract accepts, or the property proves nothing.
      expect(parseEventData(event, data).success).toBe(true);
      receiver.calls.length = 0;
      const sent = await client.send(event as never, data as never);
      expect(sent.syncStatus).toEqual({ synced: true, error: null, retryQueued: false });
      expect(receiver.calls).toHaveLength(1);
      const [{ event: received, answered }] = receiver.calls as [{ event: EventEnvelope; answered: unknown }];
      expect(received).toStrictEqual({ id: sent.eventId, event, occurredAt: received.occurredAt, data: plain(data) });
      expect(sent.result).toStrictEqual(answered);
      expect(receiver.unexpected).toEqual([]);
    }),
    { numRuns },
  );
}

describe.each(["dobbletap", "dttracker"] as const)("sender → receiver round trip, to %s", (party) => {
  const secret = generateSecret();
  const receiver = recordingReceiver(party, secret);
  const client = createClient(party, {
    baseUrl: "http://receiver.invalid/functions/v1",
    secret,
    retry: false,
    // In memory: the sender's request goes straight into the receiver.
    fetch: (input, init) => receiver.handle(input instanceof Request ? input : new Request(input, init)),
  });

  it.each(eventsTo(party))("client.send(%j, data): the handler gets data deep-equal to what was sent (property)", async (event) => {
    await assertRoundTrip(event, client, receiver, NUM_RUNS);
  });
});

describe("sender → receiver round trip over loopback HTTP (node:http adapter)", () => {
  const secret = generateSecret();
  const receiver = recordingReceiver("dobbletap", secret);
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    server = createServer(toNodeListener(receiver.receivers.get("dobbletap.webhooks")!));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/functions/v1/make-server-8061e72e`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("dobbletap.offerSent(data) over the wire: the handler gets data deep-equal to what was sent (property)", async () => {
    const client = createClient("dobbletap", { baseUrl, secret, retry: false });
    await assertRoundTrip("offer_sent", client, receiver, 25);
  });
});
