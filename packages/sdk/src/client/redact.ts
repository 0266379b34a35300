/**
 * A URL as it may be shown in hooks, messages and the retry queue: without credentials and without
 * a query string, either of which could carry a key.
 *
 * @example
 * ```ts
 * showUrl("https://user:pw@x.supabase.co/functions/v1/dobbletap-webhooks?apikey=k"); // "https://x.supabase.co/functions/v1/dobbletap-webhooks"
 * ```
 */
export function showUrl(url: string): string {
  const shown = new URL(url);
  shown.username = "";
  shown.password = "";
  shown.search = "";
  shown.hash = "";
  return shown.href;
}

const SIGNATURE = /v1,[A-Za-z0-9+/]{20,}={0,2}/g;
// Shapes of keys that are secret wherever they appear, known to this process or not: a signing
// secret, a JWT (Supabase's anon and service-role keys), a Supabase secret key, a password in a
// connection string.
const SECRET_SHAPES: ReadonlyArray<[RegExp, string]> = [
  [/whsec_[A-Za-z0-9+/]{8,}={0,2}/g, "whsec_[redacted]"],
  [/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, "[redacted]"],
  [/sb_secret_[A-Za-z0-9_-]{8,}/g, "sb_secret_[redacted]"],
  [/([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, "$1[redacted]@"],
];

/**
 * Makes a function that removes the given secrets and tokens, and anything shaped like a
 * signature or a well-known kind of key, from text written by the other side (or by a handler) (a receiver could echo what it was sent in an
 * error message, and those messages end up in logs).
 *
 * @example
 * ```ts
 * const scrub = createScrubber([secret, bearerToken]);
 * scrub(`bad token ${bearerToken}`); // "bad token [redacted]"
 * ```
 */
export function createScrubber(values: ReadonlyArray<string | readonly string[] | undefined>): (text: string) => string {
  const sensitive = new Set<string>();
  for (const value of values.flat()) {
    if (typeof value !== "string") continue;
    sensitive.add(value);
    // A secret also leaks as its bare base64 part.
    if (value.startsWith("whsec_")) sensitive.add(value.slice("whsec_".length));
  }
  // Longest first, so a secret is removed whole before its base64 part is looked for; very short
  // values are skipped, as they would blank out ordinary words.
  const needles = [...sensitive].filter((value) => value.length >= 8).sort((a, b) => b.length - a.length);
  return (text) => {
    let scrubbed = text.replace(SIGNATURE, "v1,[redacted]");
    for (const needle of needles) scrubbed = scrubbed.replaceAll(needle, "[redacted]");
    for (const [shape, replacement] of SECRET_SHAPES) scrubbed = scrubbed.replace(shape, replacement);
    return scrubbed;
  };
}
