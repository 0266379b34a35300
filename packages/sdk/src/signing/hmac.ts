/**
 * HMAC-SHA256 over `"{id}.{timestamp}.{body}"` with the platform's own crypto. On Node (and any
 * runtime exposing `process.getBuiltinModule`) node:crypto is used: it is synchronous and about 3×
 * faster than the pure-JS hash in the reference library. Elsewhere (Deno, edge runtimes) Web Crypto.
 */
import { type NodeCrypto, nodeCrypto, nodeCryptoFor } from "./node-crypto.js";

/** A key ready to sign messages; `sign` may be synchronous. */
export interface HmacKey {
  sign(prefix: string, body: Uint8Array | string): Uint8Array | Promise<Uint8Array>;
}

/** Which implementation to use; `auto` picks node:crypto where available. */
export type HmacBackend = "auto" | "node" | "web";

const encoder = new TextEncoder();

function nodeKey(crypto: NodeCrypto, secret: Uint8Array): HmacKey {
  // A KeyObject made once: createHmac then skips importing the raw secret on every call.
  const key = crypto.createSecretKey(secret);
  return {
    sign: (prefix, body) => crypto.createHmac("sha256", key).update(prefix).update(body).digest(),
  };
}

function webKey(secret: Uint8Array): HmacKey {
  // Web Crypto takes only ArrayBuffer-backed views: copy (once per key) out of a possibly shared buffer.
  const key = crypto.subtle.importKey("raw", new Uint8Array(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return {
    async sign(prefix, body) {
      const head = encoder.encode(prefix);
      const tail = typeof body === "string" ? encoder.encode(body) : body;
      const message = new Uint8Array(head.length + tail.length);
      message.set(head);
      message.set(tail, head.length);
      return new Uint8Array(await crypto.subtle.sign("HMAC", await key, message));
    },
  };
}

/** Prepares a key for HMAC-SHA256 signing on the chosen backend. */
export function createHmacKey(secret: Uint8Array, backend: HmacBackend = "auto"): HmacKey {
  const node = nodeCryptoFor(backend);
  return node ? nodeKey(node, secret) : webKey(secret);
}

/** Whether keys made for `backend` compute synchronously (node:crypto) rather than through Web Crypto. */
export function isSynchronous(backend: HmacBackend = "auto"): boolean {
  return backend === "node" || (backend === "auto" && nodeCrypto !== undefined);
}
