import { toBase64 } from "./base64.js";
import { createHmacKey, type HmacBackend, type HmacKey } from "./hmac.js";
import { decodeSecret } from "./secret.js";

/** The three Standard Webhooks headers of one signed attempt (a plain record, spreadable into `fetch`). */
export type SignedHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/** What {@link createSigner} returns. */
export interface WebhookSigner {
  /**
   * Signs one attempt: `v1,<base64 HMAC>` per secret, space-separated. Sign every attempt afresh
   * (new timestamp); keep `id` the same across retries.
   */
  sign(id: string, timestampSeconds: number, body: string | Uint8Array): Promise<string>;
  /** The three headers for one attempt, timestamped now. */
  headers(id: string, body: string | Uint8Array, nowMs?: number): Promise<SignedHeaders>;
}

/** Options shared by the signer and the verifier. */
export interface CryptoOptions {
  /** Which HMAC implementation to use; `auto` (default) picks node:crypto where it exists. */
  backend?: HmacBackend;
}

/** Decodes each secret once into a ready HMAC key. */
export function keysOf(secrets: string | readonly string[], backend: HmacBackend = "auto"): HmacKey[] {
  const list = typeof secrets === "string" ? [secrets] : [...secrets];
  if (list.length === 0) throw new TypeError("At least one signing secret (whsec_…) is required.");
  return list.map((secret) => createHmacKey(decodeSecret(secret), backend));
}

/**
 * Signs requests per the Standard Webhooks spec. With several secrets (a rotation in progress) each
 * attempt carries one signature per secret, and a receiver holding either one accepts it.
 *
 * @example
 * ```ts
 * const signer = createSigner(process.env.WEBHOOK_SECRET!);
 * const headers = await signer.headers(envelope.id, JSON.stringify(envelope));
 * ```
 */
export function createSigner(secrets: string | readonly string[], options: CryptoOptions = {}): WebhookSigner {
  const keys = keysOf(secrets, options.backend);
  const sign = async (id: string, timestampSeconds: number, body: string | Uint8Array) => {
    const prefix = `${id}.${timestampSeconds}.`;
    const macs = await Promise.all(keys.map((key) => key.sign(prefix, body)));
    return macs.map((mac) => `v1,${toBase64(mac)}`).join(" ");
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
