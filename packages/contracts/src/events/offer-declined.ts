import * as z from "zod";
import { defineEvent, exampleRecordIds, recordResult } from "../define-event.js";
import { text, Uuid } from "../primitives.js";

/**
 * Dobbletap → DTTracker: the creator declined an offer.
 *
 * @example
 * ```ts
 * offerDeclined.data.parse({ offerId, campaignId, creatorId, reason: "Fully booked" });
 * ```
 */
export const offerDeclined = defineEvent({
  name: "offer_declined",
  endpoint: "dttracker.webhooks",
  summary: "A creator declined an offer",
  description: "DTTracker marks its offer declined. An offer DTTracker does not know → 404 OFFER_NOT_FOUND.",
  data: z.object({
    offerId: Uuid.meta({ description: "DTTracker's offer id, as sent in `offer_sent`." }),
    campaignId: Uuid,
    creatorId: Uuid,
    reason: text(500).optional(),
  }),
  result: recordResult("offer", ["declined"]),
  example: {
    id: "c3e5a7b9-1d4f-4a6c-9e2b-6d8f0a2c4e6a",
    event: "offer_declined",
    occurredAt: "2026-02-08T15:20:00.000Z",
    data: {
      offerId: "e4b8d2f6-9a1c-4e3b-8d5f-7c9a1e3b5d7f",
      campaignId: "5d7c2f1e-8a4b-4c3d-9e2f-1a0b3c4d5e6f",
      creatorId: "29f99241-53d1-4f78-b9b0-2169f4a15a49",
      reason: "Fully booked until March",
    },
  },
  exampleResult: { type: "offer", id: exampleRecordIds.offer, status: "declined" },
});
