import * as z from "zod";
import { IsoDateTime, Money, Platform, text, Uuid } from "./primitives.js";

/** The fields of a campaign a brand can change after publishing (see `activation_updated`). */
export const campaignEditableShape = {
  title: text(200).meta({ description: "The campaign's title.", example: "Naija Summer Vibes" }),
  brief: text(5000).optional().meta({ description: "What creators are asked to make." }),
  platforms: z
    .array(Platform)
    .min(1, { error: "must list at least one platform" })
    .max(5)
    .refine((list) => new Set(list).size === list.length, { error: "must not repeat a platform" }),
  budget: Money.optional().meta({ description: "The campaign's total budget." }),
  startsAt: IsoDateTime.optional(),
  endsAt: IsoDateTime.optional(),
  visibility: z.enum(["public", "private"], { error: "must be public or private" }),
};

/**
 * The editable fields that are optional on a campaign: `activation_updated` may set them to `null`
 * to clear them (v1.1); the others can only be replaced.
 *
 * @example
 * ```ts
 * for (const field of clearableFields) if (changes[field] === null) delete campaign[field];
 * ```
 */
export const clearableFields = ["brief", "budget", "startsAt", "endsAt"] as const satisfies readonly (keyof typeof campaignEditableShape)[];

/** `endsAt` must not come before `startsAt` when both are given (`null`, a cleared date, never conflicts). */
export function endsAfterStart(value: { startsAt?: string | null | undefined; endsAt?: string | null | undefined }) {
  return value.startsAt == null || value.endsAt == null || Date.parse(value.endsAt) >= Date.parse(value.startsAt);
}

/**
 * A brand, as DTTracker knows it.
 *
 * @example
 * ```ts
 * Brand.parse({ id: crypto.randomUUID(), name: "Glow Cosmetics" });
 * ```
 */
export const Brand = z
  .object({
    id: Uuid,
    name: text(200).meta({ example: "Glow Cosmetics" }),
  })
  .meta({ id: "Brand" });

/**
 * A campaign (DTTracker calls it an activation) as synced on publish.
 *
 * @example
 * ```ts
 * const campaign = Campaign.parse(events.campaign_created.example.data.campaign);
 * ```
 */
export const Campaign = z
  .object({
    id: Uuid.meta({ description: "DTTracker's campaign id; offers refer to it." }),
    brand: Brand,
    ...campaignEditableShape,
  })
  .refine(endsAfterStart, { error: "must not be before startsAt", path: ["endsAt"] })
  .meta({ id: "Campaign" });
export type Campaign = z.output<typeof Campaign>;
