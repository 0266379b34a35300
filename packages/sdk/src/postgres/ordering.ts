import type { EventData, EventName } from "@dttracker-dobbletap/contracts";

// The campaign each event is about: the default ordering key, and how an offer_sent finds its
// campaign_created. A Record over every event, so that a new event in the contract does not compile
// until it says whether it belongs to a campaign.
const campaignOf: { [E in EventName]: (data: EventData<E>) => string | undefined } = {
  campaign_created: (data) => data.campaign.id,
  activation_updated: (data) => data.campaignId,
  activation_cancelled: (data) => data.campaignId,
  offer_sent: (data) => data.offer.campaignId,
  creators_synced: () => undefined,
  offer_accepted: (data) => data.campaignId,
  offer_declined: (data) => data.campaignId,
};

/**
 * The campaign id an event's (validated) data is about, or `undefined` for events about no campaign.
 *
 * @example
 * ```ts
 * campaignIdOf("offer_sent", { offer }); // offer.campaignId
 * ```
 */
export function campaignIdOf<E extends EventName>(event: E, data: EventData<E>): string | undefined {
  return (campaignOf[event] as (data: EventData<E>) => string | undefined)(data);
}
