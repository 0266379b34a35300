/**
 * The one place the bench reaches the receiver's bytes + headers entry point: the SDK's public
 * `createWebhookReceiver(options).receive(delivery)`, what `toNodeListener` and the mock run.
 */
type AnyOptions = Record<string, unknown>;
type Answer = { status: number; body: unknown };
type Receiver = { receive(delivery: Record<string, unknown>): Answer | Promise<Answer> };

export interface ReceiveEntry {
  /** How it was reached, for the notes. */
  via: string;
  /** One delivery through the receiver: raw bytes and node-style lower-case headers. */
  receive(bytes: Uint8Array, headers: Record<string, string>): Answer | Promise<Answer>;
}

export function receiveEntry(sdk: Record<string, unknown>, options: AnyOptions): ReceiveEntry {
  const factory = sdk.createWebhookReceiver;
  if (typeof factory !== "function") throw new Error("bench/lib/receiver-entry.ts: the SDK exports no createWebhookReceiver; update this adapter.");
  const receiver = (factory as (options: AnyOptions) => Receiver)(options);
  const request = () => {
    throw new Error("the bench's handlers do not read context.request");
  };
  return {
    via: "public createWebhookReceiver(options).receive(delivery)",
    receive: (bytes, headers) => receiver.receive({ method: "POST", headers, body: bytes, request }),
  };
}

/**
 * Handlers for every event of `dobbletap.webhooks` (the receiver's `endpoint` decides them): the
 * given offer_sent handler, and each other event's contract example result.
 */
export function dobbletapHandlers(
  contracts: { events: Record<string, { exampleResult: unknown }>; eventsAt(endpoint: "dobbletap.webhooks"): readonly string[] },
  offerSent: (event: { data: { offer: { id: string } } }) => unknown,
): { endpoint: "dobbletap.webhooks"; handlers: Record<string, unknown> } {
  const handlers = Object.fromEntries(
    contracts.eventsAt("dobbletap.webhooks").map((name) => [name, () => structuredClone(contracts.events[name]!.exampleResult)]),
  );
  return { endpoint: "dobbletap.webhooks", handlers: { ...handlers, offer_sent: offerSent } };
}
