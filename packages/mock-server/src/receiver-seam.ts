/**
 * The SDK's receiver core as the mock drives it: raw bytes and headers in, status, headers and JSON
 * text out, with no Web `Request`/`Response` on the way (they were most of the mock's own cost per
 * delivery). The mock's delivery log and its `--no-verify-signatures` re-signing wrap the core, and
 * `toNodeListener` serves the wrapped core directly.
 *
 * Until the SDK exposes its receiver object (issue 15, point 4: `receive(delivery)`, `fetch(request)`,
 * `toNodeListener(receiver)`), the core is reached through the property the SDK's own node adapter
 * reads. Both directions fall back to plain Web objects if that property ever goes: slower, same answers.
 */
import type { HeadersLike, WebhookHandler } from "@dttracker-dobbletap/sdk";

/** One request as the receiver core takes it (the SDK's `Delivery`). */
export interface Delivery {
  method: string;
  headers: HeadersLike;
  /** Bytes already read, a stream, or a function reading at most `limit` bytes (`undefined` when there are more). */
  body: Uint8Array | ReadableStream<Uint8Array> | null | ((limit: number) => Promise<Uint8Array | undefined>);
  request: Request | (() => Request);
}

/** The core's answer (the SDK's `DeliveryAnswer`): the body is the JSON text sent. */
export interface DeliveryAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/** The receiver core (the SDK's `WebhookReceiver`). */
export interface Receiver {
  receive(delivery: Delivery): Promise<DeliveryAnswer>;
}

const CORE = Symbol.for("@dttracker-dobbletap/sdk/receiver-core");

/**
 * The core behind a handler made by `createWebhookHandler`.
 *
 * @example
 * ```ts
 * const receiver = receiverOf(createWebhookHandler({ secrets, endpoint, handlers }));
 * ```
 */
export function receiverOf(handle: WebhookHandler): Receiver {
  const core = (handle as { [CORE]?: Receiver })[CORE];
  if (core !== undefined) return core;
  return {
    async receive(delivery) {
      const request = typeof delivery.request === "function" ? delivery.request() : delivery.request;
      const response = await handle(request);
      return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
    },
  };
}

/**
 * A Web handler whose core is `receiver`: `toNodeListener` of it calls `receiver.receive` with node's
 * headers and the raw body.
 *
 * @example
 * ```ts
 * const listener = toNodeListener(handlerOf(recordDeliveries(receiver, path, options, record)));
 * ```
 */
export function handlerOf(receiver: Receiver): WebhookHandler {
  const handle: WebhookHandler = async (request) => {
    const answer = await receiver.receive({ method: request.method, headers: request.headers, body: request.body, request });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
  Object.defineProperty(handle, CORE, { value: receiver });
  return handle;
}

/** One header of a delivery (node's lower-case record or `Headers`), or null. */
export function headerOf(headers: HeadersLike, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  const value = headers[name];
  return value === undefined ? null : typeof value === "string" ? value : value.join(", ");
}

/** The headers as name/value pairs, lower-case names. */
export function headerPairs(headers: HeadersLike): [string, string][] {
  if (headers instanceof Headers) return [...headers];
  const pairs: [string, string][] = [];
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) pairs.push([name, typeof value === "string" ? value : value.join(", ")]);
  }
  return pairs;
}

/**
 * The same body, calling `seen` with its bytes once they are read in full, before the reader gets
 * them (so `seen` may still change what the reader sees next, e.g. the headers). `seen` is not called
 * for a body the reader stops reading (too large) or that fails.
 *
 * @example
 * ```ts
 * const body = tapBody(delivery.body, (bytes) => void (logged = bytes));
 * ```
 */
export function tapBody(body: Delivery["body"], seen: (bytes: Uint8Array) => void | Promise<void>): Delivery["body"] {
  if (typeof body === "function") {
    return async (limit) => {
      const bytes = await body(limit);
      if (bytes !== undefined) await seen(bytes);
      return bytes;
    };
  }
  if (body === null || body instanceof Uint8Array) {
    const bytes = body ?? new Uint8Array();
    return async (limit) => {
      if (bytes.byteLength > limit) return undefined;
      await seen(bytes);
      return bytes;
    };
  }
  const chunks: Uint8Array[] = [];
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        chunks.push(chunk);
        controller.enqueue(chunk);
      },
      flush: () => seen(Buffer.concat(chunks)),
    }),
  );
}
