// atob/btoa exist on Node ≥ 16 and Deno; Buffer is faster where it exists.
const NodeBuffer = (globalThis as { Buffer?: typeof Buffer }).Buffer;

/** Standard base64 of bytes. */
export function toBase64(bytes: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Decodes standard base64; `undefined` when the text is not base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return undefined;
  if (NodeBuffer) return NodeBuffer.from(text, "base64");
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

/**
 * Decodes base64 only in its one canonical form (padded, unused bits zero), as the reference
 * `standardwebhooks` does by comparing encoded text: `undefined` for anything else.
 */
export function fromCanonicalBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const bytes = fromBase64(text);
  return bytes !== undefined && toBase64(bytes) === text ? bytes : undefined;
}
