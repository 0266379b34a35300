import { toBase64 } from "./base64.js";
import { createEd25519Signer } from "./ed25519.js";
import { createHmacKey, type HmacBackend } from "./hmac.js";
import { decodeSecretKey, decodeV1Secret } from "./keys.js";

/** The three Standard Webhooks headers of one signed attempt (a plain record, spreadable into `fetch`). */
export type SignedHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/** What {@link createSigner} returns. */
export interface WebhookSigner {
  /**
   * Signs one attempt: `v1a,<base64 Ed25519>` or `v1,<base64 HMAC>` per key, space-separated. Sign every attempt afresh
   * (new timestamp); keep `id` the same across retries.
   */
  sign(id: string, timestampSeconds: number, body: string | Uint8Array): Promise<string>;
  /** The three headers for one attempt, timestamped now. */
  headers(id: string, body: string | Uint8Array, nowMs?: number): Promise<SignedHeaders>;
}

/** Options shared by the signer and the verifier. */
export interface CryptoOptions {
  /** Which crypto implementation to use (HMAC and Ed25519); `auto` (default) picks node:crypto where it exists. */
  backend?: HmacBackend;
}

/** One prepared signing key and the Standard Webhooks version its signatures carry. */
interface SigningKey {
  version: "v1" | "v1a";
  sign(prefix: string, body: Uint8Array | string): Uint8Array | Promise<Uint8Array>;
}

/**
 * Decodes each key once: a `whsk_` secret key signs `v1a` (Ed25519), a `whsec_` secret (or bare
 * base64, as in the reference library) signs `v1` (HMAC). A `whpk_` public key cannot sign.
 */
function signingKeysOf(keys: string | readonly string[], backend: HmacBackend = "auto"): SigningKey[] {
  const list = typeof keys === "string" ? [keys] : [...keys];
  if (list.length === 0) throw new TypeError("At least one signing key is required: a whsk_ secret key (v1a) or a whsec_ secret (v1).");
  return list.map((key) =>
    typeof key === "string" && (key.startsWith("whsk_") || key.startsWith("whpk_"))
      ? { version: "v1a" as const, ...createEd25519Signer(decodeSecretKey(key, "A signing key"), backend) }
      : { version: "v1" as const, ...createHmacKey(decodeV1Secret(key), backend) },
  );
}

/**
 * Signs requests per the Standard Webhooks spec, with `v1a` (Ed25519, from a `whsk_` secret key)
 * and/or `v1` (HMAC-SHA256, from a `whsec_` secret). With several keys (a migration from v1 to
 * v1a, or a rotation) each attempt carries one signature per key, space-separated, and a receiver
 * configured for any one of them accepts it.
 *
 * @example
 * ```ts
 * const signer = createSigner(process.env.WEBHOOK_SIGNING_KEY!); // whsk_… → v1a
 * const both = createSigner([process.env.WEBHOOK_SIGNING_KEY!, process.env.WEBHOOK_SECRET!]); // v1a and v1
 * const headers = await signer.headers(envelope.id, JSON.stringify(envelope));
 * ```
 */
export function createSigner(secrets: string | readonly string[], options: CryptoOptions = {}): WebhookSigner {
  const keys = signingKeysOf(secrets, options.backend);
  const sign = async (id: string, timestampSeconds: number, body: string | Uint8Array) => {
    const prefix = `${id}.${timestampSeconds}.`;
    const signatures = await Promise.all(keys.map((key) => key.sign(prefix, body)));
    return signatures.map((signature, index) => `${keys[index]!.version},${toBase64(signature)}`).join(" ");
  };
  return {
    sign,
    async headers(id, body, nowMs = Date.now()) {
      const timestamp = Math.floor(nowMs / 1000);
      return {
        "webhook-id": id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": await sign(id, timestamp, body),
      };
    },
  };
}
