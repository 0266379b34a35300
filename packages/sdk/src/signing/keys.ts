import { SignatureError } from "../errors/signature-error.js";
import { fromBase64, toBase64 } from "./base64.js";
import { publicKeyOf, publicKeyOfSync } from "./ed25519.js";
import { decodeSecret } from "./secret.js";

/** Key material, told apart by its prefix; no message ever repeats a key. */
export type KeyKind = "secret" | "secretKey" | "publicKey";

const SECRET_KEY_PREFIX = "whsk_";
const PUBLIC_KEY_PREFIX = "whpk_";

function kindOf(key: string): KeyKind {
  if (key.startsWith(SECRET_KEY_PREFIX)) return "secretKey";
  if (key.startsWith(PUBLIC_KEY_PREFIX)) return "publicKey";
  return "secret";
}

const names: Record<KeyKind, string> = {
  secret: "a v1 signing secret (whsec_…)",
  secretKey: "a v1a secret key (whsk_…)",
  publicKey: "a v1a public key (whpk_…)",
};

/** What each role holds, for the message naming both when the wrong one is given. */
const advice: Record<KeyKind, string> = {
  secret: "Both sender and receiver hold the same whsec_ secret.",
  secretKey: "The sender holds the whsk_ secret key; give its receiver only the whpk_ public key.",
  publicKey: "The receiver holds the whpk_ public key; the sender signs with the matching whsk_ secret key.",
};

function wrongKind(option: string, expected: KeyKind, given: KeyKind): SignatureError {
  return new SignatureError("bad_secret", `${option} needs ${names[expected]}, but it was given ${names[given]}. ${advice[expected]}`);
}

function notString(option: string, expected: KeyKind): SignatureError {
  return new SignatureError("bad_secret", `${option} must be a string: ${names[expected]}.`);
}

/**
 * Decodes a `whsk_` secret key to its 32-byte Ed25519 seed. The 64-byte seed‖public form is
 * accepted; where node:crypto exists its public half must belong to the seed. Throws a
 * {@link SignatureError} that names what was given and never repeats it.
 */
export function decodeSecretKey(key: unknown, option = "secretKey"): Uint8Array {
  if (typeof key !== "string") throw notString(option, "secretKey");
  const kind = kindOf(key);
  if (kind !== "secretKey") throw wrongKind(option, "secretKey", kind);
  const bytes = fromBase64(key.slice(SECRET_KEY_PREFIX.length));
  if (!bytes || (bytes.length !== 32 && bytes.length !== 64)) {
    throw new SignatureError(
      "bad_secret",
      `${option} is not whsk_ followed by base64 of a 32-byte Ed25519 seed (or the 64-byte seed‖public form); it has ${key.length} characters. Make a pair with generateKeyPair().`,
    );
  }
  const seed = bytes.slice(0, 32);
  const derived = bytes.length === 64 ? publicKeyOfSync(seed) : undefined;
  if (derived !== undefined && toBase64(derived) !== toBase64(bytes.subarray(32))) {
    throw new SignatureError("bad_secret", `${option}: the public half of this 64-byte whsk_ key does not belong to its seed.`);
  }
  return seed;
}

/** Decodes a `whpk_` public key to its 32 bytes; a `whsk_` or `whsec_` given instead is named. */
export function decodePublicKey(key: unknown, option = "publicKeys"): Uint8Array {
  if (typeof key !== "string") throw notString(option, "publicKey");
  const kind = kindOf(key);
  if (kind !== "publicKey") throw wrongKind(option, "publicKey", kind);
  const bytes = fromBase64(key.slice(PUBLIC_KEY_PREFIX.length));
  if (bytes?.length !== 32) {
    throw new SignatureError(
      "bad_secret",
      `${option} is not whpk_ followed by base64 of a 32-byte Ed25519 public key; it has ${key.length} characters. Take it from generateKeyPair().publicKey.`,
    );
  }
  return bytes;
}

/** Decodes a `whsec_` secret; a `whsk_`/`whpk_` given instead is named. */
export function decodeV1Secret(secret: unknown, option = "secret"): Uint8Array {
  if (typeof secret === "string") {
    const kind = kindOf(secret);
    if (kind !== "secret") throw wrongKind(option, "secret", kind);
  }
  return decodeSecret(secret as string);
}

/** A `v1a` key pair: the sender keeps `secretKey`, the receiver gets only `publicKey`. */
export interface KeyPair {
  /** `whsk_<base64 of the 32-byte Ed25519 seed>`: the sender's, never shared. */
  secretKey: string;
  /** `whpk_<base64 of the 32-byte public key>`: give it to the receiver; it can forge nothing. */
  publicKey: string;
}

/**
 * Makes a fresh Ed25519 key pair for Standard Webhooks `v1a` signatures, with the platform's
 * random source (node:crypto or Web Crypto).
 *
 * @example
 * ```ts
 * const { secretKey, publicKey } = await generateKeyPair();
 * // secretKey → the sender's secret manager (createDobbletapClient({ secretKey })),
 * // publicKey → the receiver's configuration (createWebhookHandler({ endpoint, publicKeys: [publicKey], handlers })).
 * ```
 */
export async function generateKeyPair(): Promise<KeyPair> {
  const seed = crypto.getRandomValues(new Uint8Array(32));
  const publicKey = await publicKeyOf(seed);
  return { secretKey: SECRET_KEY_PREFIX + toBase64(seed), publicKey: PUBLIC_KEY_PREFIX + toBase64(publicKey) };
}
