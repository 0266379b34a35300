/**
 * A Web request's body, reading at most `limit` bytes (more only proves it is too large).
 * `complete` is false when the body was cut off mid-way; `bytes` then holds what arrived.
 */
export async function readUpTo(request: Request, limit: number): Promise<{ bytes: Uint8Array<ArrayBuffer>; complete: boolean }> {
  if (request.body === null) return { bytes: new Uint8Array(), complete: true };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let complete = true;
  try {
    while (size < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } catch {
    complete = false;
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes, complete };
}
