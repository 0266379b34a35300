import * as z from "zod";
import { Campaign } from "../campaign.js";
import { defineEvent, exampleRecordIds, recordResult } from "../define-event.js";

/**
 * DTTracker → Dobbletap: a brand published an activation; Dobbletap creates the campaign.
 *
 * @example
 * ```ts
 * campaignCreated.data.parse(events.campaign_created.example.data);
 * ```
 */
export const campaignCreated = defineEvent({
  name: "campaign_created",
  endpoint: "dobbletap.webhooks",
  summary: "A brand published an activation",
  description:
    "Sent by DTTracker's `activation-publish` when a brand publishes an activation. Dobbletap creates the " +
    "campaign and answers with it. Must arrive before any `offer_sent` for the campaign.",
  data: z.object({ campaign: Campaign }),
  result: recordResult("campaign", ["active", "cancelled"]),
  example: {
    id: "0b6f3c1e-2d4a-4e8b-9c7d-5a1f2e3d4c5b",
    event: "campaign_created",
    occurredAt: "2026-02-08T10:00:00.000Z",
    data: {
      campaign: {
        id: "5d7c2f1e-8a4b-4c3d-9e2f-1a0b3c4d5e6f",
        brand: { id: "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f", name: "Glow Cosmetics" },
        title: "Naija Summer Vibes",
        brief: "Show your summer glow routine in a 30-second video using Glow's SPF serum.",
        platforms: ["tiktok", "instagram"],
        budget: { currency: "NGN", amountMinor: 150000000 },
        startsAt: "2026-02-10T00:00:00.000Z",
        endsAt: "2026-03-10T00:00:00.000Z",
        visibility: "public",
      },
    },
  },
  exampleResult: { type: "campaign", id: exampleRecordIds.campaign, status: "active" },
});
