/**
 * The one place the bench reaches the receiver's bytes + headers entry point, whatever the SDK on
 * the branch calls it. Preferred: a public receiver object with `receive(delivery)` (the receiver
 * issue adds one; the names tried are listed below). Otherwise the core behind a handler made by
 * `createWebhookHandler` (what `toNodeListener` calls), found by its registered symbol. Either way
 * the bench measures the code users run; only this adapter knows how it is reached.
 */
type AnyOptions = Record<string, unknown>;
type Answer = { status: number; body: unknown };
type Receiver = { receive(delivery: Record<string, unknown>): Answer | Promise<Answer> };

/** Public factories of a `{ receive(delivery) }` object, in the order tried. */
const PUBLIC_FACTORIES = ["createReceiver", "createWebhookReceiver"] as const;
const CORE = Symbol.for("@dttracker-dobbletap/sdk/receiver-core");

export interface ReceiveEntry {
  /** How it was reached, for the notes. */
  via: string;
  /** One delivery through the receiver: raw bytes and node-style lower-case headers. */
  receive(bytes: Uint8Array, headers: Record<string, string>): Answer | Promise<Answer>;
}

export function receiveEntry(sdk: Record<string, unknown>, options: AnyOptions): ReceiveEntry {
  let receiver: Receiver | undefined;
  let via = "";
  for (const name of PUBLIC_FACTORIES) {
    const factory = sdk[name];
    if (typeof factory === "function") {
      receiver = (factory as (options: AnyOptions) => Receiver)(options);
      via = `public ${name}(options).receive(delivery)`;
      break;
    }
  }
  if (receiver === undefined) {
    const handle = (sdk.createWebhookHandler as (options: AnyOptions) => object)(options);
    receiver = (handle as { [CORE]?: Receiver })[CORE];
    via = 'the core behind createWebhookHandler (what toNodeListener calls), through Symbol.for("@dttracker-dobbletap/sdk/receiver-core")';
    if (receiver === undefined) throw new Error("bench/lib/receiver-entry.ts: the SDK exposes no receiver entry for bytes + headers; update this adapter.");
  }
  const request = () => {
    throw new Error("the bench's handlers do not read context.request");
  };
  const target = receiver;
  return {
    via,
    receive: (bytes, headers) => target.receive({ method: "POST", headers, body: bytes, request }),
  };
}
