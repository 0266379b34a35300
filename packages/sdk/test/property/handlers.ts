/**
 * What a correct receiver's handler answers for each event (the record it names), for the property
 * tests' receivers.
 */
import type { EventEnvelope } from "@dttracker-dobbletap/contracts";

/** The contract-valid result for an event: the record it names, in the status it would have. */
export function resultFor(event: EventEnvelope): unknown {
  switch (event.event) {
    case "campaign_created":
      return { type: "campaign", id: event.data.campaign.id, status: "active" };
    case "activation_updated":
      return { type: "campaign", id: event.data.campaignId, status: "active" };
    case "activation_cancelled":
      return event.data.creatorId === undefined
        ? { type: "campaign", id: event.data.campaignId, status: "cancelled" }
        : { type: "assignment", id: event.data.creatorId, status: "cancelled" };
    case "offer_sent":
      return { type: "offer", id: event.data.offer.id, status: "offered" };
    case "creators_synced":
      return { synced: event.data.creators.map((creator) => ({ dobbletapId: creator.dobbletapId, dttrackerId: crypto.randomUUID() })), failed: [] };
    case "offer_accepted":
      return { type: "offer", id: event.data.offerId, status: "accepted" };
    case "offer_declined":
      return { type: "offer", id: event.data.offerId, status: "declined" };
  }
}
