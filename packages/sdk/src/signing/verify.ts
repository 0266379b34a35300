import { SignatureError } from "../errors/signature-error.js";
import { fromCanonicalBase64 } from "./base64.js";
import { headerOf, type HeadersLike } from "./headers.js";
import { createEd25519Verifier, type Ed25519Verifier } from "./ed25519.js";
import { createHmacKey, timingSafeEqual, type HmacKey } from "./hmac.js";
import { decodePublicKey, decodeV1Secret } from "./keys.js";
import type { CryptoOptions } from "./sign.js";


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
 * The signatures of one version in a `webhook-signature` header (`v1,` MACs of 32 bytes, `v1a,`
 * Ed25519 signatures of 64); malformed entries and other versions are skipped.
 */
function candidatesOf(signature: string, version: "v1" | "v1a"): Uint8Array[] {
  const head = `${version},`;
  const size = version === "v1" ? 32 : 64;
  const candidates: Uint8Array[] = [];
  for (const part of signature.split(" ")) {
    if (!part.startsWith(head)) continue;
    const bytes = fromCanonicalBase64(part.slice(head.length));
    if (bytes?.length === size) candidates.push(bytes);
  }
  return candidates;
}

/** Whether a `v1a` signature verifies under one of the trusted public keys. */
function matchesV1a(keys: Ed25519Verifier[], prefix: string, body: string | Uint8Array, signature: string): boolean | Promise<boolean> {
  if (keys.length === 0) return false;
  const candidates = candidatesOf(signature, "v1a");
  const pending: Array<Promise<boolean>> = [];
  for (const candidate of candidates) {
    for (const key of keys) {
      const verdict = key.verify(prefix, body, candidate);
      if (verdict === true) return true;
      if (verdict !== false) pending.push(verdict);
    }
  }
  return pending.length === 0 ? false : Promise.all(pending).then((results) => results.some(Boolean));
}

/**
 * Whether a candidate matches a key's MAC: a plain boolean on the synchronous node:crypto backend,
 * a promise only when Web Crypto is involved.
 */
function matches(keys: HmacKey[], prefix: string, body: string | Uint8Array, signature: string): boolean | Promise<boolean> {
  if (keys.length === 0) return false;
  const candidates = candidatesOf(signature, "v1");
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
 * Verifies Standard Webhooks signatures on the raw body, before anything parses it. Each key given
 * enables its scheme: a `whpk_` public key trusts `v1a` (Ed25519) signatures by its holder, a
 * `whsec_` secret trusts `v1` (HMAC). Any one valid signature of a configured scheme passes (a
 * rotation, a v1 → v1a migration); a signature of a scheme with no key configured counts for
 * nothing, so a v1a-only receiver refuses a request signed only with v1, and the reverse. A
 * timestamp more than the tolerance off, in the past or the future, is refused. Error messages
 * never contain keys or signatures.
 *
 * @example
 * ```ts
 * const verifier = createVerifier([process.env.DOBBLETAP_PUBLIC_KEY!]); // whpk_…: v1a only
 * const migrating = createVerifier([process.env.DOBBLETAP_PUBLIC_KEY!, process.env.WEBHOOK_SECRET!]); // v1a or v1
 * const { id } = await verifier.verify(request.headers, rawBody);
 * ```
 */
export function createVerifier(secrets: string | readonly string[], options: VerifyOptions = {}): WebhookVerifier {
  const list = typeof secrets === "string" ? [secrets] : [...secrets];
  if (list.length === 0) {
    throw new TypeError("At least one verification key is required: a whpk_ public key (v1a) or a whsec_ secret (v1).");
  }
  const isAsymmetric = (key: string) => typeof key === "string" && (key.startsWith("whpk_") || key.startsWith("whsk_"));
  // A whsk_ here is named as the wrong half of the pair by decodePublicKey.
  const publicKeys = list.filter(isAsymmetric).map((key) => createEd25519Verifier(decodePublicKey(key, "A verification key"), options.backend));
  const keys = list.filter((key) => !isAsymmetric(key)).map((key) => createHmacKey(decodeV1Secret(key), options.backend));
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
      const prefix = `${id}.${timestamp}.`;
      const verdict = matches(keys, prefix, body, signature);
      if (verdict === true || (verdict !== false && (await verdict))) return { id, timestampSeconds };
      const asymmetric = matchesV1a(publicKeys, prefix, body, signature);
      if (asymmetric === true || (asymmetric !== false && (await asymmetric))) return { id, timestampSeconds };
      throw new SignatureError("no_valid_signature", noMatchMessage(signature, keys.length > 0, publicKeys.length > 0));
    },
  };
}

/** Why nothing matched, naming the schemes sent and trusted (never a signature or a key). */
function noMatchMessage(signature: string, v1: boolean, v1a: boolean): string {
  const sent = new Set(signature.split(" ").map((part) => part.slice(0, part.indexOf(","))));
  const trusted = [v1a && "v1a", v1 && "v1"].filter(Boolean) as string[];
  if (!trusted.some((version) => sent.has(version))) {
    const shown = [...sent].filter((version) => version === "v1" || version === "v1a");
    return `No webhook-signature of a scheme this receiver trusts: it verifies ${trusted.join(" and ")}, the request carries ${shown.length > 0 ? shown.join(" and ") : "no v1 or v1a"} signatures. Sign with the key this receiver is configured for.`;
  }
  return "No webhook-signature matches: the body was changed after signing, or it was signed with another secret.";
}
