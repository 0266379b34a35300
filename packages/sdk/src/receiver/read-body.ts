const EMPTY = new Uint8Array(0);

/**
 * The bytes of a body arriving in chunks, refused as soon as they pass `limit`: the one place the
 * SDK (and the mock server) caps a body, whatever delivers the chunks (a Web stream, node's
 * IncomingMessage). A single chunk, the common case for a webhook, is kept as is, without a copy.
 */
export class CappedBytes {
  #first: Uint8Array | undefined;
  #rest: Uint8Array[] | undefined;
  #total = 0;
  constructor(readonly limit: number) {}

  /** Adds a chunk; `false` once the bytes are past the limit (the chunk is then not kept). */
  add(chunk: Uint8Array): boolean {
    this.#total += chunk.byteLength;
    if (this.#total > this.limit) return false;
    if (this.#first === undefined) this.#first = chunk;
    else if (this.#rest === undefined) this.#rest = [chunk];
    else this.#rest.push(chunk);
    return true;
  }

  /** Everything added, as one byte array. */
  bytes(): Uint8Array {
    const first = this.#first;
    if (first === undefined) return EMPTY;
    if (this.#rest === undefined) return first;
    const bytes = new Uint8Array(this.#total);
    bytes.set(first);
    let offset = first.byteLength;
    for (const chunk of this.#rest) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return bytes;
  }
}

/**
 * Reads a request's or response's body into one byte array, refusing it as soon as it grows past
 * `limit`: a body with a lying or absent Content-Length is never buffered whole. Resolves
 * `undefined` when the body is too large (the rest of the stream is cancelled, not read), and
 * rejects when the stream fails (a client that disconnected mid-body) or yields something other
 * than bytes.
 *
 * @example
 * ```ts
 * const bytes = await readCappedBody(request.body, 256 * 1024);
 * if (bytes === undefined) return new Response("too large", { status: 413 });
 * ```
 */
export async function readCappedBody(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array | undefined> {
  if (body === null) return EMPTY;
  const reader = body.getReader();
  const capped = new CappedBytes(limit);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return capped.bytes();
    // A hand-made stream may enqueue strings or buffers; only bytes are a body.
    if (!(value instanceof Uint8Array)) {
      void reader.cancel().catch(ignore);
      throw new TypeError("The body stream yielded something other than bytes.");
    }
    if (!capped.add(value)) {
      void reader.cancel().catch(ignore);
      return undefined;
    }
  }
}

function ignore(): void {}
