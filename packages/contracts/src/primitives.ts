import * as z from "zod";

/**
 * An RFC 9562 UUID, as every identifier in the contract is.
 *
 * @example
 * ```ts
 * Uuid.safeParse("29f99241-53d1-4f78-b9b0-2169f4a15a49").success; // true
 * ```
 */
export const Uuid = z.uuid({ error: "must be a UUID (e.g. 7f0c1e9a-3b1d-4c55-9d8e-2f6a4b8c9d10)" });

/**
 * An RFC 3339 timestamp. Receivers accept `Z` or a numeric offset (`+00:00`, as Postgres and
 * supabase-js write it) and normalise it to UTC with a `Z`; senders always send `Z`.
 *
 * It is a zod codec, so its two sides differ on purpose: its **input** (what a receiver accepts,
 * `z.input`, JSON Schema `io: "input"`) allows an offset; its **output** (what parsing yields and
 * what a sender emits, `z.output`, JSON Schema `io: "output"`) is always `Z`. A value already in `Z`
 * is kept as written; an offset is converted to `YYYY-MM-DDTHH:mm:ss.sssZ` (sub-millisecond digits
 * of an offset value are dropped, as `Date` keeps milliseconds).
 *
 * @example
 * ```ts
 * IsoDateTime.parse("2026-02-08T11:15:00+01:00"); // "2026-02-08T10:15:00.000Z"
 * IsoDateTime.parse("2026-02-08T10:15:00.000Z");  // unchanged
 * ```
 */
export const IsoDateTime = z.codec(
  z.iso.datetime({
    offset: true,
    error: "must be an RFC 3339 timestamp with Z or a numeric offset (e.g. 2026-02-08T10:15:00.000Z or 2026-02-08T11:15:00+01:00)",
  }),
  z.iso.datetime({ error: "must be an ISO-8601 UTC timestamp ending in Z (e.g. 2026-02-08T10:15:00.000Z)" }),
  {
    decode: (value) => (value.endsWith("Z") ? value : new Date(value).toISOString()),
    encode: (value) => value,
  },
);

/**
 * The ISO-4217 currency codes this platform knows (`Intl.supportedValuesOf("currency")`): v1.1
 * accepts these only, not any three capitals. Read once, sorted; Node 22 and 24 (ICU 78) list 162.
 *
 * @example
 * ```ts
 * currencyCodes.includes("NGN"); // true
 * ```
 */
export const currencyCodes: readonly [string, ...string[]] = supportedCurrencies();

function supportedCurrencies(): [string, ...string[]] {
  const list = [...Intl.supportedValuesOf("currency")].sort();
  // A runtime without ICU data lists nothing; refusing every amount would be worse than the v1 rule.
  if (list.length === 0) throw new Error("This runtime's Intl lists no currencies (Intl.supportedValuesOf): run it with ICU data.");
  return list as [string, ...string[]];
}

/**
 * A bounded, trimmed, non-empty piece of text: every free-text field has a ceiling.
 *
 * @example
 * ```ts
 * const Title = text(200); // trimmed, 1 to 200 characters
 * ```
 */
export function text(maxLength: number) {
  return z
    .string()
    .trim()
    .min(1, { error: "must not be empty" })
    .max(maxLength, { error: `must be at most ${maxLength} characters` });
}

/**
 * Social platforms a campaign can run on or a creator can be on.
 *
 * @example
 * ```ts
 * Platform.options; // ["tiktok", "instagram", "youtube", "x", "facebook"]
 * ```
 */
export const Platform = z
  .enum(["tiktok", "instagram", "youtube", "x", "facebook"], {
    error: "must be one of tiktok, instagram, youtube, x, facebook",
  })
  .meta({ id: "Platform", description: "A social platform." });
export type Platform = z.output<typeof Platform>;

/**
 * Money is never a float: an ISO-4217 currency code and a positive integer of minor units.
 * ₦75,000 is `{ currency: "NGN", amountMinor: 7500000 }` (kobo).
 *
 * @example
 * ```ts
 * Money.parse({ currency: "NGN", amountMinor: 7_500_000 }); // ₦75,000; 75000.5 would be refused
 * ```
 */
export const Money = z
  .object({
    currency: z
      .enum(currencyCodes, {
        error: (issue) =>
          typeof issue.input === "string" && /^[A-Z]{3}$/.test(issue.input)
            ? `${issue.input} is not a currency code this platform knows (Intl.supportedValuesOf("currency")); use an ISO-4217 code such as NGN`
            : "must be an ISO-4217 currency code in capitals, e.g. NGN",
      })
      .meta({ description: 'ISO-4217 currency code, one of `Intl.supportedValuesOf("currency")`.', example: "NGN" }),
    amountMinor: z
      .int({ error: "must be an integer number of minor units (₦75,000 is 7500000 kobo), never a float" })
      .positive({ error: "must be a positive number of minor units" })
      .meta({ description: "Amount in minor units (kobo for NGN).", example: 7500000 }),
  })
  .meta({
    id: "Money",
    description: "An amount of money in minor units; never a float.",
    example: { currency: "NGN", amountMinor: 7500000 },
  });
export type Money = z.output<typeof Money>;
