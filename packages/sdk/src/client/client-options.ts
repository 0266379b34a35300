/**
 * The checks a client makes once, at creation: an unusable base URL, timeout, bearer token or key
 * fails there with a message that says what was expected and where it comes from, never at the
 * first send.
 */
import type { Party } from "@dttracker-dobbletap/contracts";
import { isSignatureError, SignatureError } from "../errors/signature-error.js";
import { decodeSecretKey, decodeV1Secret } from "../signing/keys.js";
import type { ClientOptions } from "./types.js";

/** The receiving party as people call it, for messages. */
export const partyNames: Readonly<Record<Party, string>> = { dobbletap: "Dobbletap", dttracker: "DTTracker" };

/** The environment variables the SDK's own examples read each party's keys from. */
const envNames: Readonly<Record<Party, { secret: string; secretKey: string }>> = {
  dobbletap: { secret: "DOBBLETAP_WEBHOOK_SECRET", secretKey: "DOBBLETAP_SIGNING_KEY" },
  dttracker: { secret: "DTTRACKER_WEBHOOK_SECRET", secretKey: "DTTRACKER_SIGNING_KEY" },
};

const expects = {
  secret: "a v1 signing secret: whsec_ followed by base64 (from generateSecret())",
  secretKey: "a v1a secret key: whsk_ followed by base64 (from generateKeyPair())",
} as const;

/**
 * Checks the base URL, the timeout and the bearer token.
 *
 * @example
 * ```ts
 * const { base, timeoutMs } = checkOptions({ baseUrl: "http://127.0.0.1:4010", secret });
 * ```
 */
export function checkOptions(options: ClientOptions): { base: URL; timeoutMs: number } {
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    // The value is not repeated: a base URL may carry a key in its query string.
    throw new TypeError("baseUrl must be an absolute http(s) URL, e.g. https://<project-ref>.supabase.co/functions/v1.");
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") {
    throw new TypeError(`baseUrl must use http: or https:, not ${base.protocol}`);
  }
  if (base.username || base.password) {
    // fetch refuses such URLs, and credentials in a URL end up in logs.
    throw new TypeError("baseUrl must not include credentials (user:password@); use bearerToken for the gateway's key.");
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0) || timeoutMs > 2_147_483_647) {
    throw new RangeError(`timeoutMs must be a number of milliseconds > 0; got ${String(timeoutMs)}.`);
  }
  const token = options.bearerToken;
  if (token !== undefined && (typeof token !== "string" || !/^[\x21-\x7e]+$/.test(token))) {
    throw new TypeError("bearerToken must be a non-empty token of printable ASCII without spaces (e.g. the Supabase anon key).");
  }
  return { base, timeoutMs };
}

function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (value === "") return "an empty string";
  if (Array.isArray(value)) return value.length === 0 ? "an empty list" : `a list of ${value.length}`;
  return typeof value === "string" ? `a string of ${value.length} characters` : `a value of type ${typeof value}`;
}

/** Where a key is read from, said in the message: the option, and the usual environment variable. */
function whereFrom(party: Party, option: "secret" | "secretKey"): string {
  return (
    `It is read from the client's ${option} option, usually from an environment variable ` +
    `(e.g. ${option}: process.env.${envNames[party][option]}): an unset variable gives undefined, so set it where this code runs ` +
    "(.env, the host's secrets, supabase secrets set)."
  );
}

function keysOf(party: Party, option: "secret" | "secretKey", value: unknown): string[] {
  if (value === undefined) return [];
  const list: unknown[] = typeof value === "string" ? [value] : Array.isArray(value) ? value : [value];
  const factory = `The ${partyNames[party]} client`;
  return list.map((key, index) => {
    const named = list.length > 1 || Array.isArray(value) ? `${option}[${index}]` : option;
    if (typeof key !== "string" || key.trim() === "") {
      throw new SignatureError("bad_secret", `${factory}'s ${named} is ${describe(key)}; it expects ${expects[option]}. ${whereFrom(party, option)}`);
    }
    try {
      // Each option names the kind it holds; a key of the other kind is refused naming both.
      if (option === "secretKey") decodeSecretKey(key, named);
      else decodeV1Secret(key, named);
    } catch (error) {
      if (!isSignatureError(error)) throw error;
      throw new SignatureError(
        "bad_secret",
        `${factory}'s ${named} is not usable: ${error.message} It expects ${expects[option]}. ${whereFrom(party, option)}`,
      );
    }
    return key;
  });
}

/**
 * The keys a client signs with, checked: the v1a secret key(s) first, then the v1 secret(s). An
 * unset, empty or malformed key throws at creation, saying what was expected and where it is read from.
 *
 * @example
 * ```ts
 * const keys = signingKeysOf("dobbletap", { baseUrl, secret: process.env.DOBBLETAP_WEBHOOK_SECRET });
 * ```
 */
export function signingKeysOf(party: Party, options: ClientOptions): string[] {
  const secretKeys = keysOf(party, "secretKey", options.secretKey);
  const secrets = keysOf(party, "secret", options.secret);
  if (secretKeys.length + secrets.length === 0) {
    const given = (["secretKey", "secret"] as const).filter((option) => Object.hasOwn(options, option));
    const unset = given.length > 0 ? ` It was given ${given.map((option) => `${option}: ${describe(options[option])}`).join(" and ")}.` : "";
    throw new TypeError(
      `The ${partyNames[party]} client needs secretKey (whsk_…, v1a, recommended) or secret (whsec_…, v1), or both during a migration.${unset} ` +
        whereFrom(party, given[0] ?? "secret"),
    );
  }
  return [...secretKeys, ...secrets];
}
