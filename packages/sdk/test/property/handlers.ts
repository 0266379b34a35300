/**
 * What a correct receiver's handler answers for each event, for the property tests' receivers: the
 * contract's example result for that event, naming the record the generated event is about.
 */
import { events, type EventEnvelope } from "@dttracker-dobbletap/contracts";

/** The contract-valid result for an event: the example result's record, with the event's own ids. */
export function resultFor(event: EventEnvelope): unknown {
  switch (event.event) {
    case "campaign_created":
      return { ...events.campaign_created.exampleResult, id: event.data.campaign.id };
    case "activation_updated":
      return { ...events.activation_updated.exampleResult, id: event.data.campaignId };
    case "activation_cancelled":
      // The example cancels one creator's assignment; without a creator the whole campaign is cancelled.
      return event.data.creatorId === undefined
        ? { ...events.activation_cancelled.exampleResult, type: "campaign", id: event.data.campaignId }
        : { ...events.activation_cancelled.exampleResult, id: event.data.creatorId };
    case "offer_sent":
      return { ...events.offer_sent.exampleResult, id: event.data.offer.id };
    case "creators_synced": {
      const [mapped] = events.creators_synced.exampleResult.synced;
      return {
        ...events.creators_synced.exampleResult,
        synced: event.data.creators.map((creator) => ({ ...mapped, dobbletapId: creator.dobbletapId, dttrackerId: crypto.randomUUID() })),
      };
    }
    case "offer_accepted":
      return { ...events.offer_accepted.exampleResult, id: event.data.offerId };
    case "offer_declined":
      return { ...events.offer_declined.exampleResult, id: event.data.offerId };
  }
}
