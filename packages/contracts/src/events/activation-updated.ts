import * as z from "zod";
import { campaignEditableShape, endsAfterStart } from "../campaign.js";
import { defineEvent, exampleRecordIds, recordResult } from "../define-event.js";
import { Uuid } from "../primitives.js";

const editableFields = Object.keys(campaignEditableShape).join(", ");

// v1.1: an optional field may be set to null to clear it; the required ones (title, platforms,
// visibility) can only be replaced. `clearableFields` (campaign.ts) names the same four.
function clearable<T extends z.ZodType>(field: z.ZodOptional<T>, what: string) {
  return field
    .unwrap()
    .nullable()
    .optional()
    .meta({ description: `${what}; \`null\` clears it.` });
}
const changesShape = {
  ...campaignEditableShape,
  brief: clearable(campaignEditableShape.brief, "What creators are asked to make"),
  budget: clearable(campaignEditableShape.budget, "The campaign's total budget"),
  startsAt: clearable(campaignEditableShape.startsAt, "When the campaign starts"),
  endsAt: clearable(campaignEditableShape.endsAt, "When the campaign ends"),
};

/**
 * DTTracker → Dobbletap: a brand edited a published activation.
 *
 * @example
 * ```ts
 * activationUpdated.data.parse({ campaignId, changes: { title: "Naija Summer Vibes 2" } });
 * ```
 */
export const activationUpdated = defineEvent({
  name: "activation_updated",
  endpoint: "dobbletap.webhooks",
  summary: "A brand edited a published activation",
  description:
    "Carries only the changed fields (at least one). `null` clears an optional field (`brief`, `budget`, " +
    "`startsAt`, `endsAt`); an absent field is unchanged. A cancelled campaign takes no updates (409 INVALID_STATE).",
  data: z.object({
    campaignId: Uuid,
    changes: z
      .object(changesShape)
      .partial()
      .refine((changes) => Object.values(changes).some((value) => value !== undefined), {
        error: `must change at least one of: ${editableFields}`,
      })
      .refine(endsAfterStart, { error: "must not be before startsAt", path: ["endsAt"] }),
  }),
  // A cancelled campaign takes no updates (409), so an applied update leaves it active.
  result: recordResult("campaign", ["active"]),
  example: {
    id: "3e1a9b7c-6d5f-4a2e-8b1c-9d0e7f6a5b4c",
    event: "activation_updated",
    occurredAt: "2026-02-09T08:30:00.000Z",
    data: {
      campaignId: "5d7c2f1e-8a4b-4c3d-9e2f-1a0b3c4d5e6f",
      changes: { endsAt: "2026-03-20T00:00:00.000Z", budget: { currency: "NGN", amountMinor: 200000000 } },
    },
  },
  exampleResult: { type: "campaign", id: exampleRecordIds.campaign, status: "active" },
});
