import * as z from "zod";
import { defineEvent, exampleRecordIds, recordResult } from "../define-event.js";
import { Uuid } from "../primitives.js";

/**
 * Dobbletap → DTTracker: the creator accepted an offer on "My Work".
 *
 * @example
 * ```ts
 * offerAccepted.data.parse({ offerId, campaignId, creatorId });
 * ```
 */
export const offerAccepted = defineEvent({
  name: "offer_accepted",
  endpoint: "dttracker.webhooks",
  summary: "A creator accepted an offer",
  description: "DTTracker marks its offer accepted. An offer DTTracker does not know → 404 OFFER_NOT_FOUND.",
  data: z.object({
    offerId: Uuid.meta({ description: "DTTracker's offer id, as sent in `offer_sent`." }),
    campaignId: Uuid,
    creatorId: Uuid,
  }),
  result: recordResult("offer", ["accepted"]),
  example: {
    id: "b9d1f3a5-7c2e-4b6d-8f0a-4c6e8a0b2d4f",
    event: "offer_accepted",
    occurredAt: "2026-02-08T14:02:00.000Z",
    data: {
      offerId: "e4b8d2f6-9a1c-4e3b-8d5f-7c9a1e3b5d7f",
      campaignId: "5d7c2f1e-8a4b-4c3d-9e2f-1a0b3c4d5e6f",
      creatorId: "29f99241-53d1-4f78-b9b0-2169f4a15a49",
    },
  },
  exampleResult: { type: "offer", id: exampleRecordIds.offer, status: "accepted" },
});
