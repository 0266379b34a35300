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
 * An ISO-8601 timestamp in UTC with a `Z` suffix, e.g. `2026-02-08T10:15:00.000Z`.
 *
 * @example
 * ```ts
 * IsoDateTime.safeParse(new Date().toISOString()).success; // true
 * ```
 */
export const IsoDateTime = z.iso.datetime({
  error: "must be an ISO-8601 UTC timestamp ending in Z (e.g. 2026-02-08T10:15:00.000Z)",
});

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
      .string()
      .regex(/^[A-Z]{3}$/, { error: "must be an ISO-4217 currency code in capitals, e.g. NGN" })
      .meta({ description: "ISO-4217 currency code.", example: "NGN" }),
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
