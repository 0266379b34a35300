import { SignatureError } from "../errors/signature-error.js";
import { fromCanonicalBase64 } from "./base64.js";
import { headerOf, type HeadersLike } from "./headers.js";
import { timingSafeEqual, type HmacKey } from "./hmac.js";
import { keysOf, type CryptoOptions } from "./sign.js";


/** Options for {@link createVerifier}. */
export interface VerifyOptions extends CryptoOptions {
  /** How far `webhook-timestamp` may be from now, either way. Default 300 s (5 minutes). */
  toleranceSeconds?: number;
  /** The clock, in milliseconds; for tests. */
  now?: () => number;
}

/** What a successful verification proves. */
export interface VerifiedDelivery {
  id: string;
  timestampSeconds: number;
}

/** What {@link createVerifier} returns. */
export interface WebhookVerifier {
  /** Resolves when one signature matches one secret; rejects with a {@link SignatureError} otherwise. */
  verify(headers: HeadersLike, body: string | Uint8Array): Promise<VerifiedDelivery>;
}

/**
 * The `v1` MACs of a `webhook-signature` header; malformed entries are skipped, and so are MACs not
 * in canonical base64 (no `=` padding, a non-zero unused bit): the reference rejects those too.
 */
function candidatesOf(signature: string): Uint8Array[] {
  const candidates: Uint8Array[] = [];
  for (const part of signature.split(" ")) {
    if (!part.startsWith("v1,")) continue;
    const mac = fromCanonicalBase64(part.slice(3));
    if (mac?.length === 32) candidates.push(mac);
  }
  return candidates;
}

/**
 * Whether a candidate matches a key's MAC: a plain boolean on the synchronous node:crypto backend,
 * a promise only when Web Crypto is involved.
 */
function matches(keys: HmacKey[], prefix: string, body: string | Uint8Array, signature: string): boolean | Promise<boolean> {
  const candidates = candidatesOf(signature);
  if (candidates.length === 0) return false;
  // Constant-time comparison, so response timing reveals nothing about the expected MAC.
  const compare = (expected: Uint8Array) => candidates.some((candidate) => timingSafeEqual(expected, candidate));
  const pending: Array<Promise<boolean>> = [];
  for (const key of keys) {
    const expected = key.sign(prefix, body);
    if (expected instanceof Promise) pending.push(expected.then(compare));
    else if (compare(expected)) return true;
  }
  return pending.length === 0 ? false : Promise.all(pending).then((results) => results.some(Boolean));
}

/**
 * Verifies Standard Webhooks signatures on the raw body, before anything parses it. Any one valid
 * `v1` signature under any one secret passes (rotation); a timestamp more than the tolerance off,
 * in the past or the future, is refused. Error messages never contain secrets or signatures.
 *
 * @example
 * ```ts
 * const verifier = createVerifier([currentSecret, previousSecret]);
 * const { id } = await verifier.verify(request.headers, rawBody);
 * ```
 */
export function createVerifier(secrets: string | readonly string[], options: VerifyOptions = {}): WebhookVerifier {
  const keys = keysOf(secrets, options.backend);
  const tolerance = options.toleranceSeconds ?? 300;
  const now = options.now ?? Date.now;
  return {
    async verify(headers, body) {
      const id = headerOf(headers, "webhook-id", " ");
      const timestamp = headerOf(headers, "webhook-timestamp", " ");
      const signature = headerOf(headers, "webhook-signature", " ");
      if (!id || !timestamp || !signature) {
        const missing = [!id && "webhook-id", !timestamp && "webhook-timestamp", !signature && "webhook-signature"];
        throw new SignatureError(
          "missing_headers",
          `Missing ${missing.filter(Boolean).join(", ")}: sign every request per Standard Webhooks.`,
        );
      }
      if (!/^\d{1,12}$/.test(timestamp)) {
        throw new SignatureError("bad_timestamp", "webhook-timestamp must be whole unix seconds.");
      }
      const timestampSeconds = Number(timestamp);
      const drift = Math.floor(now() / 1000) - timestampSeconds;
      if (drift > tolerance) {
        throw new SignatureError(
          "stale_timestamp",
          `webhook-timestamp is ${drift} s old; more than ${tolerance} s is refused. Sign each attempt afresh and check the sender's clock.`,
        );
      }
      if (-drift > tolerance) {
        throw new SignatureError(
          "future_timestamp",
          `webhook-timestamp is ${-drift} s in the future; more than ${tolerance} s is refused. Check the sender's clock.`,
        );
      }
      const verdict = matches(keys, `${id}.${timestamp}.`, body, signature);
      if (verdict === true || (verdict !== false && (await verdict))) return { id, timestampSeconds };
      throw new SignatureError(
        "no_valid_signature",
        "No webhook-signature matches: the body was changed after signing, or it was signed with another secret.",
      );
    },
  };
}
