import * as z from "zod";
import { defineEvent, exampleRecordIds, recordResult } from "../define-event.js";
import { IsoDateTime, Money, text, Uuid } from "../primitives.js";

/**
 * A paid offer from a brand to one creator.
 *
 * @example
 * ```ts
 * Offer.parse(events.offer_sent.example.data.offer);
 * ```
 */
export const Offer = z
  .object({
    id: Uuid.meta({ description: "DTTracker's offer id; `offer_accepted`/`offer_declined` refer to it." }),
    campaignId: Uuid.meta({ description: "Must have been synced with `campaign_created` first." }),
    creatorId: Uuid.meta({ description: "Dobbletap's creator id (`dobbletapId` from the creator sync)." }),
    amount: Money,
    message: text(2000).optional(),
    deadline: IsoDateTime.optional(),
  })
  .meta({ id: "Offer" });
export type Offer = z.output<typeof Offer>;

/**
 * DTTracker → Dobbletap: a brand sent a paid offer to a creator.
 *
 * @example
 * ```ts
 * offerSent.successAnswer.safeParse(await response.json()).success;
 * ```
 */
export const offerSent = defineEvent({
  name: "offer_sent",
  endpoint: "dobbletap.webhooks",
  summary: "A brand sent a paid offer to a creator",
  description:
    "Dobbletap creates an offer with status `offered` (a `creator_campaigns` row) and answers with it. " +
    "`result.id` is Dobbletap's own id for that record and `status` is always `offered`. Checked in this order: " +
    "unknown campaign → 404 CAMPAIGN_NOT_FOUND (retry with the same id after `campaign_created`); cancelled " +
    "campaign → 409 INVALID_STATE; unknown creator → 404 CREATOR_NOT_FOUND. The same offer id again: identical " +
    "content → 200 `duplicate: true`, different content → 409 INVALID_STATE.",
  data: z.object({ offer: Offer }),
  // v1.1: a new offer cannot already be accepted; `id` is Dobbletap's own record id.
  result: recordResult("offer", ["offered"]),
  example: {
    id: "a7e3c9d1-5b2f-4e8a-9c6d-3f1b7e5a9c2d",
    event: "offer_sent",
    occurredAt: "2026-02-08T10:15:00.000Z",
    data: {
      offer: {
        id: "e4b8d2f6-9a1c-4e3b-8d5f-7c9a1e3b5d7f",
        campaignId: "5d7c2f1e-8a4b-4c3d-9e2f-1a0b3c4d5e6f",
        creatorId: "29f99241-53d1-4f78-b9b0-2169f4a15a49",
        amount: { currency: "NGN", amountMinor: 7500000 },
        message: "Loved your last skincare reel. Would you make one for our SPF serum?",
        deadline: "2026-02-20T23:59:59.000Z",
      },
    },
  },
  exampleResult: { type: "offer", id: exampleRecordIds.offer, status: "offered" },
});
