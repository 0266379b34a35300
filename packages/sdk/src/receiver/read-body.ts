const EMPTY = new Uint8Array(0);

/**
 * Reads a request body into one byte array, refusing it as soon as it grows past `limit`: a body
 * with a lying or absent Content-Length is never buffered whole. Returns `undefined` when the body
 * is too large (the rest of the stream is cancelled, not read). A single-chunk body, the common case
 * for a webhook, is returned as is, without a copy.
 *
 * @example
 * ```ts
 * const bytes = await readCappedBody(request.body, 256 * 1024);
 * if (bytes === undefined) return new Response("too large", { status: 413 });
 * ```
 */
export async function readCappedBody(
  body: ReadableStream<Uint8Array> | null,
  limit: number,
): Promise<Uint8Array | undefined> {
  if (body === null) return EMPTY;
  const reader = body.getReader();
  let first: Uint8Array | undefined;
  let rest: Uint8Array[] | undefined;
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // A hand-made stream may enqueue strings or buffers; only bytes are a body.
    if (!(value instanceof Uint8Array)) {
      void reader.cancel().catch(ignore);
      throw new TypeError("The request body stream yielded something other than bytes.");
    }
    total += value.byteLength;
    if (total > limit) {
      void reader.cancel().catch(ignore);
      return undefined;
    }
    if (first === undefined) first = value;
    else (rest ??= []).push(value);
  }
  if (first === undefined) return EMPTY;
  if (rest === undefined) return first;
  const bytes = new Uint8Array(total);
  bytes.set(first);
  let offset = first.byteLength;
  for (const chunk of rest) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

function ignore(): void {}
