/**
 * Ed25519 for Standard Webhooks' asymmetric scheme `v1a`, on the platform's own crypto: node:crypto
 * where it exists (synchronous), Web Crypto elsewhere (Deno, Supabase Edge Functions). Keys are
 * imported from their raw bytes through the fixed DER prefixes of PKCS#8 (private) and SPKI
 * (public), which both APIs accept.
 */
import type { HmacBackend } from "./hmac.js";
import { nodeCrypto, nodeCryptoFor } from "./node-crypto.js";

/** A prepared Ed25519 signing key. */
export interface Ed25519Signer {
  sign(prefix: string, body: Uint8Array | string): Uint8Array | Promise<Uint8Array>;
}
/** A prepared Ed25519 public key. */
export interface Ed25519Verifier {
  verify(prefix: string, body: Uint8Array | string, signature: Uint8Array): boolean | Promise<boolean>;
}

const encoder = new TextEncoder();
// RFC 8410: PKCS#8 and SPKI wrappers of a 32-byte Ed25519 seed / public key.
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((size, part) => size + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function message(prefix: string, body: Uint8Array | string): Uint8Array<ArrayBuffer> {
  return concat(encoder.encode(prefix), typeof body === "string" ? encoder.encode(body) : body);
}

/** Prepares a signing key from its 32-byte seed. */
export function createEd25519Signer(seed: Uint8Array, backend: HmacBackend = "auto"): Ed25519Signer {
  const der = concat(PKCS8_PREFIX, seed);
  const node = nodeCryptoFor(backend);
  if (node) {
    const key = node.createPrivateKey({ key: Buffer.from(der), format: "der", type: "pkcs8" });
    return { sign: (prefix, body) => node.sign(null, message(prefix, body), key) };
  }
  const key = crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, false, ["sign"]);
  return {
    async sign(prefix, body) {
      return new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, await key, message(prefix, body)));
    },
  };
}

/** Prepares a public key from its 32 raw bytes. */
export function createEd25519Verifier(publicKey: Uint8Array, backend: HmacBackend = "auto"): Ed25519Verifier {
  const node = nodeCryptoFor(backend);
  if (node) {
    const key = node.createPublicKey({ key: Buffer.from(concat(SPKI_PREFIX, publicKey)), format: "der", type: "spki" });
    return { verify: (prefix, body, signature) => node.verify(null, message(prefix, body), key, signature) };
  }
  const key = crypto.subtle.importKey("raw", new Uint8Array(publicKey), { name: "Ed25519" }, false, ["verify"]);
  return {
    async verify(prefix, body, signature) {
      return crypto.subtle.verify({ name: "Ed25519" }, await key, new Uint8Array(signature), message(prefix, body));
    },
  };
}

/** The 32-byte public key of a seed, synchronously where node:crypto exists; `undefined` elsewhere. */
export function publicKeyOfSync(seed: Uint8Array): Uint8Array | undefined {
  if (!nodeCrypto) return undefined;
  const key = nodeCrypto.createPublicKey(nodeCrypto.createPrivateKey({ key: Buffer.from(concat(PKCS8_PREFIX, seed)), format: "der", type: "pkcs8" }));
  return new Uint8Array(key.export({ format: "der", type: "spki" })).slice(SPKI_PREFIX.length);
}

/** The 32-byte public key of a seed. */
export async function publicKeyOf(seed: Uint8Array, backend: HmacBackend = "auto"): Promise<Uint8Array> {
  const node = nodeCryptoFor(backend);
  if (node) {
    const key = node.createPublicKey(node.createPrivateKey({ key: Buffer.from(concat(PKCS8_PREFIX, seed)), format: "der", type: "pkcs8" }));
    return new Uint8Array(key.export({ format: "der", type: "spki" })).slice(SPKI_PREFIX.length);
  }
  const key = await crypto.subtle.importKey("pkcs8", concat(PKCS8_PREFIX, seed), { name: "Ed25519" }, true, ["sign"]);
  const jwk = await crypto.subtle.exportKey("jwk", key);
  return base64UrlDecode(jwk.x!);
}

function base64UrlDecode(text: string): Uint8Array {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  return Uint8Array.from(atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4)), (char) => char.charCodeAt(0));
}
