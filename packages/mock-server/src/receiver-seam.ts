/**
 * The SDK's receiver as the mock drives it: raw bytes and headers in, status, headers and JSON text
 * out, with no Web `Request`/`Response` on the way (they were most of the mock's own cost per
 * delivery). The mock's delivery log and its `--no-verify-signatures` re-signing wrap the SDK's
 * `createWebhookReceiver(...)`, and `toNodeListener` serves the wrapped receiver directly.
 */
import type { Delivery, DeliveryAnswer, HeadersLike, WebhookReceiver } from "@dttracker-dobbletap/sdk";

export type { Delivery, DeliveryAnswer };

/** What the mock wraps and serves: the SDK receiver's `receive` (the SDK's `toNodeListener` takes it). */
export type Receiver = Pick<WebhookReceiver, "receive">;

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
 * let logged: Uint8Array | undefined;
 * const tapped: Delivery = { ...delivery, body: tapBody(delivery.body, (bytes) => void (logged = bytes)) };
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
