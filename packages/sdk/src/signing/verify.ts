import { SignatureError } from "../errors/signature-error.js";
import { fromCanonicalBase64, toBase64 } from "./base64.js";
import { headerOf, type HeadersLike } from "./headers.js";
import { createEd25519Verifier, type Ed25519Verifier } from "./ed25519.js";
import { createHmacKey, isSynchronous, type HmacKey } from "./hmac.js";
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
  /** Resolves when one signature matches one key; rejects with a {@link SignatureError} otherwise. */
  verify(headers: HeadersLike, body: string | Uint8Array): Promise<VerifiedDelivery>;
  /**
   * The same check, synchronously: returns, or throws a {@link SignatureError}. Present only where
   * the platform's crypto is synchronous (node:crypto, the `auto` backend on Node); `undefined` on
   * Web Crypto (Deno, edge runtimes), where {@link WebhookVerifier.verify} is the only way.
   *
   * @example
   * ```ts
   * const { id } = verifier.verifySync ? verifier.verifySync(headers, body) : await verifier.verify(headers, body);
   * ```
   */
  readonly verifySync: ((headers: HeadersLike, body: string | Uint8Array) => VerifiedDelivery) | undefined;
}

/**
 * The signatures of one version in a `webhook-signature` header (`v1a,` Ed25519 signatures of 64
 * bytes, canonical base64); malformed entries and other versions are skipped.
 */
function v1aCandidatesOf(signature: string): Uint8Array[] {
  const candidates: Uint8Array[] = [];
  for (const part of signature.split(" ")) {
    if (!part.startsWith("v1a,")) continue;
    const bytes = fromCanonicalBase64(part.slice(4));
    if (bytes?.length === 64) candidates.push(bytes);
  }
  return candidates;
}

/** Whether a `v1a` signature verifies under one of the trusted public keys. */
function matchesV1a(keys: Ed25519Verifier[], prefix: string, body: string | Uint8Array, signature: string): boolean | Promise<boolean> {
  if (keys.length === 0) return false;
  const candidates = v1aCandidatesOf(signature);
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

/** The base64 texts of the `v1,` entries (a MAC is 44 characters); decoding them is not needed. */
function v1CandidatesOf(signature: string): string[] {
  // The usual header holds one entry: no split.
  if (signature.indexOf(" ") === -1) return signature.length === 47 && signature.startsWith("v1,") ? [signature.slice(3)] : [];
  const candidates: string[] = [];
  for (const part of signature.split(" ")) if (part.length === 47 && part.startsWith("v1,")) candidates.push(part.slice(3));
  return candidates;
}

/**
 * Whether a candidate equals the base64 of a key's MAC: a plain boolean on the synchronous
 * node:crypto backend, a promise only when Web Crypto is involved. Comparing the canonical encoding
 * as text is exactly the reference's rule (a non-canonical encoding of the right MAC is refused).
 */
function matches(keys: HmacKey[], prefix: string, body: string | Uint8Array, signature: string): boolean | Promise<boolean> {
  if (keys.length === 0) return false;
  const candidates = v1CandidatesOf(signature);
  if (candidates.length === 0) return false;
  const compare = (mac: Uint8Array) => {
    const expected = toBase64(mac);
    for (const candidate of candidates) if (constantTimeEqual(expected, candidate)) return true;
    return false;
  };
  const pending: Array<Promise<boolean>> = [];
  for (const key of keys) {
    const mac = key.sign(prefix, body);
    if (mac instanceof Promise) pending.push(mac.then(compare));
    else if (compare(mac)) return true;
  }
  return pending.length === 0 ? false : Promise.all(pending).then((results) => results.some(Boolean));
}

/** Compares two strings of ASCII in time independent of where they differ. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index);
  return difference === 0;
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

  /** The whole check; synchronous on a synchronous backend. Throws (or rejects) a SignatureError. */
  const check = (headers: HeadersLike, body: string | Uint8Array): VerifiedDelivery | Promise<VerifiedDelivery> => {
    const id = headerOf(headers, "webhook-id", " ");
    const timestamp = headerOf(headers, "webhook-timestamp", " ");
    const signature = headerOf(headers, "webhook-signature", " ");
    if (!id || !timestamp || !signature) {
      const missing = [!id && "webhook-id", !timestamp && "webhook-timestamp", !signature && "webhook-signature"];
      throw new SignatureError("missing_headers", `Missing ${missing.filter(Boolean).join(", ")}: sign every request per Standard Webhooks.`);
    }
    if (!/^\d{1,12}$/.test(timestamp)) throw new SignatureError("bad_timestamp", "webhook-timestamp must be whole unix seconds.");
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
    const verified: VerifiedDelivery = { id, timestampSeconds };
    const refuse = () => {
      throw new SignatureError("no_valid_signature", noMatchMessage(signature, keys.length > 0, publicKeys.length > 0));
    };
    const asymmetric = () => {
      const verdict = matchesV1a(publicKeys, prefix, body, signature);
      if (verdict === true) return verified;
      if (verdict === false) return refuse();
      return verdict.then((ok) => (ok ? verified : refuse()));
    };
    const verdict = matches(keys, prefix, body, signature);
    if (verdict === true) return verified;
    if (verdict === false) return asymmetric();
    return verdict.then((ok) => (ok ? verified : asymmetric()));
  };

  return {
    async verify(headers, body) {
      return check(headers, body);
    },
    verifySync: isSynchronous(options.backend) ? (check as (headers: HeadersLike, body: string | Uint8Array) => VerifiedDelivery) : undefined,
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
