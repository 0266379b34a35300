import { SignatureError } from "../errors/signature-error.js";
import { fromBase64 } from "./base64.js";
import { timingSafeEqual } from "./hmac.js";
import { keysOf, type CryptoOptions } from "./sign.js";

/** Request headers as a `Headers` object or a plain record (case-sensitive lower-case keys). */
export type HeadersLike = Headers | Record<string, string | string[] | undefined>;

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

function header(headers: HeadersLike, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(value) ? value.join(" ") : value;
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
      const id = header(headers, "webhook-id");
      const timestamp = header(headers, "webhook-timestamp");
      const signature = header(headers, "webhook-signature");
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
      const candidates = signature
        .split(" ")
        .filter((part) => part.startsWith("v1,"))
        .map((part) => fromBase64(part.slice(3)))
        .filter((mac): mac is Uint8Array => mac !== undefined && mac.length === 32);
      if (candidates.length > 0) {
        const prefix = `${id}.${timestamp}.`;
        for (const key of keys) {
          const expected = await key.sign(prefix, body);
          // Constant-time comparison, so response timing reveals nothing about the expected MAC.
          if (candidates.some((candidate) => timingSafeEqual(expected, candidate))) return { id, timestampSeconds };
        }
      }
      throw new SignatureError(
        "no_valid_signature",
        "No webhook-signature matches: the body was changed after signing, or it was signed with another secret.",
      );
    },
  };
}
