import * as z from "zod";
import { campaignEditableShape, endsAfterStart } from "../campaign.js";
import { defineEvent, recordResult } from "../define-event.js";
import { Uuid } from "../primitives.js";

const editableFields = Object.keys(campaignEditableShape).join(", ");

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
    "Carries only the changed fields (at least one). A cancelled campaign takes no updates (409 INVALID_STATE).",
  data: z.object({
    campaignId: Uuid,
    changes: z
      .object(campaignEditableShape)
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
});
