import * as z from "zod";
import { defineEvent, exampleRecordIds, recordResult } from "../define-event.js";
import { text, Uuid } from "../primitives.js";

/**
 * DTTracker → Dobbletap: a brand cancelled an activation, or one creator's part in it.
 *
 * @example
 * ```ts
 * activationCancelled.data.parse({ campaignId, creatorId }); // cancels one assignment
 * ```
 */
export const activationCancelled = defineEvent({
  name: "activation_cancelled",
  endpoint: "dobbletap.webhooks",
  summary: "A brand cancelled an activation or one creator's assignment",
  description:
    "With `creatorId`: cancel that creator's assignment only (result type `assignment`). Without: cancel the " +
    "whole campaign (result type `campaign`); it then takes no more offers or updates. Cancelling again is " +
    "answered 200 with the cancelled status.",
  data: z.object({
    campaignId: Uuid,
    creatorId: Uuid.optional().meta({ description: "Dobbletap's creator id; cancels only this creator's assignment." }),
    reason: text(500).optional(),
  }),
  result: z.union([recordResult("campaign", ["cancelled"]), recordResult("assignment", ["cancelled"])]),
  example: {
    id: "8c4d2e6f-1a3b-4c5d-9e7f-2b4d6f8a0c1e",
    event: "activation_cancelled",
    occurredAt: "2026-02-12T16:45:00.000Z",
    data: {
      campaignId: "5d7c2f1e-8a4b-4c3d-9e2f-1a0b3c4d5e6f",
      creatorId: "29f99241-53d1-4f78-b9b0-2169f4a15a49",
      reason: "Creator unavailable for the campaign dates",
    },
  },
  exampleResult: { type: "assignment", id: exampleRecordIds.assignment, status: "cancelled" },
});
