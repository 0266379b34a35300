import { SignatureError } from "../errors/signature-error.js";
import { fromBase64, toBase64 } from "./base64.js";

const PREFIX = "whsec_";

/**
 * Decodes a `whsec_<base64>` signing secret (the prefix is optional, as in the reference library).
 * Throws a {@link SignatureError} that never repeats the secret.
 */
export function decodeSecret(secret: string): Uint8Array {
  if (typeof secret !== "string") {
    throw new SignatureError("bad_secret", "The signing secret must be a string of the form whsec_<base64>.");
  }
  const encoded = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  const bytes = fromBase64(encoded);
  if (!bytes || bytes.length < 16) {
    throw new SignatureError(
      "bad_secret",
      `The signing secret is not whsec_ followed by base64 of at least 16 bytes (it has ${secret.length} characters). ` +
        "Generate one with generateSecret() and share it out of band.",
    );
  }
  return bytes;
}

/**
 * Makes a fresh random signing secret, `whsec_` + base64 of 32 random bytes.
 *
 * @example
 * ```ts
 * const secret = generateSecret(); // store it in both parties' secret managers, never in code
 * ```
 */
export function generateSecret(): string {
  return PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(32)));
}
