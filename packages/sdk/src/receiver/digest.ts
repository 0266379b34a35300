/**
 * The fingerprint of an event's data stored with each remembered success, so that an id reused for
 * other content is told apart from a retry (contract v1.1: same id + same digest → the first answer;
 * another digest → 409). Stored digests outlive releases and are shared by every instance of a
 * receiver (Postgres), whatever its runtime, so the format is versioned and the same everywhere:
 *
 * - `sha256:<base64url>`: SHA-256 of the validated data's JSON text (keys in schema order, so equal
 *   content gives equal text), with node:crypto's one-shot `crypto.hash` where it exists, else Web
 *   Crypto. What this release writes.
 * - no prefix: the releases before it (cyrb53 of the same text, base 36). Still compared as such, so
 *   rows written by them keep their meaning for their retention; nothing needs migrating.
 */
type NodeCrypto = typeof import("node:crypto");

const SHA256 = "sha256:";

function loadHash(): NodeCrypto["hash"] | undefined {
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  try {
    const hash = (getBuiltin?.("node:crypto") as NodeCrypto | undefined)?.hash;
    return typeof hash === "function" ? hash : undefined;
  } catch {
    return undefined;
  }
}
const nodeHash = loadHash();
const encoder = new TextEncoder();

/** The current digest of `data`: synchronous where node:crypto has `hash`, else through Web Crypto. */
export function digestOf(data: unknown): string | Promise<string> {
  return nodeHash !== undefined ? SHA256 + nodeHash("sha256", JSON.stringify(data), "base64url") : webDigestOf(data);
}

/** The same digest through Web Crypto (Deno, edge runtimes without node:crypto's `hash`). */
export async function webDigestOf(data: unknown): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", encoder.encode(JSON.stringify(data)));
  return SHA256 + toBase64Url(new Uint8Array(hash));
}

/** Whether a stored digest, of this release or an earlier one, is the digest of `data`. */
export function digestMatches(stored: string, data: unknown, current: string): boolean {
  if (stored.startsWith(SHA256)) return stored === current;
  return stored === legacyDigestOf(data);
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The digest of releases ≤ 0.1 (cyrb53, base 36): only ever compared, never written. */
export function legacyDigestOf(data: unknown): string {
  const text = JSON.stringify(data);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
