/**
 * Dobbletap's side of the contract, in memory: campaigns, the creators Dobbletap knows, offers (its
 * `creator_campaigns` rows with status `offered`) and cancelled assignments. Each handler either
 * returns the record it created or found, or throws a ContractError whose code the SDK turns into
 * the contract's HTTP answer (404, 409). In a real Edge Function these Maps are Postgres tables.
 */
import { ContractError, duplicateResult, type ProviderStateHandlers, type WebhookHandlers } from "@dttracker-dobbletap/sdk";
import { events, Offer as OfferSchema, type Campaign, type Creator, type Offer } from "@dttracker-dobbletap/contracts";

type OfferStatus = "offered" | "accepted" | "declined" | "cancelled";

export interface DobbletapStore {
  campaigns: Map<string, Campaign & { status: "active" | "cancelled" }>;
  creators: Map<string, Pick<Creator, "dobbletapId" | "handle">>;
  offers: Map<string, Offer & { status: OfferStatus }>;
  /** Cancelled assignments, keyed `campaignId:creatorId`, valued by the assignment's id. */
  cancelledAssignments: Map<string, string>;
}

/** The creator `wickhed7`: Dobbletap's own user, so it is known before any event arrives. */
export const WICKHED7 = { dobbletapId: "29f99241-53d1-4f78-b9b0-2169f4a15a49", handle: "wickhed7" };

/** An empty store that knows Dobbletap's own creators. */
export function createStore(creators: Pick<Creator, "dobbletapId" | "handle">[] = [WICKHED7]): DobbletapStore {
  return {
    campaigns: new Map(),
    creators: new Map(creators.map((creator) => [creator.dobbletapId, creator])),
    offers: new Map(),
    cancelledAssignments: new Map(),
  };
}

/** Key-order-insensitive equality of two JSON values: "the same record sent again". */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(
            Object.entries(value)
              .filter(([, v]) => v !== undefined)
              .sort(([x], [y]) => (x < y ? -1 : 1))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function findCampaign(store: DobbletapStore, campaignId: string) {
  const campaign = store.campaigns.get(campaignId);
  if (!campaign) {
    // Production failure #4: the offer arrived before its campaign. A 404 tells DTTracker to send
    // campaign_created and retry with the same webhook-id (failures are not remembered).
    throw new ContractError("CAMPAIGN_NOT_FOUND", `Campaign ${campaignId} is not known to Dobbletap. Send campaign_created first.`);
  }
  return campaign;
}

/** One handler per event DTTracker sends to `POST …/webhooks/dttracker`. */
export function createHandlers(store: DobbletapStore): WebhookHandlers<
  "campaign_created" | "activation_updated" | "activation_cancelled" | "offer_sent"
> {
  return {
    campaign_created: ({ data: { campaign } }) => {
      const known = store.campaigns.get(campaign.id);
      if (known) {
        const { status, ...content } = known;
        if (!sameJson(content, campaign)) {
          throw new ContractError("INVALID_STATE", `Campaign ${campaign.id} already exists with different content. Send activation_updated.`);
        }
        return duplicateResult({ type: "campaign" as const, id: campaign.id, status });
      }
      store.campaigns.set(campaign.id, { ...campaign, status: "active" });
      return { type: "campaign", id: campaign.id, status: "active" };
    },

    activation_updated: ({ data: { campaignId, changes } }) => {
      const campaign = findCampaign(store, campaignId);
      if (campaign.status === "cancelled") {
        throw new ContractError("INVALID_STATE", `Campaign ${campaignId} is cancelled; it takes no more updates.`);
      }
      Object.assign(campaign, Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)));
      return { type: "campaign", id: campaignId, status: "active" };
    },

    activation_cancelled: ({ data: { campaignId, creatorId } }) => {
      const campaign = findCampaign(store, campaignId);
      const cancelOffers = (creator?: string) => {
        for (const offer of store.offers.values()) {
          const mine = offer.campaignId === campaignId && (creator === undefined || offer.creatorId === creator);
          if (mine && (offer.status === "offered" || offer.status === "accepted")) offer.status = "cancelled";
        }
      };
      if (creatorId === undefined) {
        // Cancelling a cancelled campaign again is answered 200 with its cancelled status.
        campaign.status = "cancelled";
        cancelOffers();
        return { type: "campaign", id: campaignId, status: "cancelled" };
      }
      if (!store.creators.has(creatorId)) {
        throw new ContractError("CREATOR_NOT_FOUND", `Creator ${creatorId} is not known to Dobbletap.`);
      }
      const key = `${campaignId}:${creatorId}`;
      const assignmentId = store.cancelledAssignments.get(key) ?? crypto.randomUUID();
      store.cancelledAssignments.set(key, assignmentId);
      cancelOffers(creatorId);
      return { type: "assignment", id: assignmentId, status: "cancelled" };
    },

    offer_sent: ({ data: { offer } }) => {
      const known = store.offers.get(offer.id);
      if (known) {
        // The same offer under a new envelope id: identical → the existing record, else a conflict.
        const { status, ...content } = known;
        if (!sameJson(content, offer)) {
          throw new ContractError("INVALID_STATE", `Offer ${offer.id} already exists with different content. Send a new offer id.`);
        }
        return duplicateResult({ type: "offer" as const, id: offer.id, status });
      }
      // The contract names the event's subject first: the campaign before the creator.
      const campaign = findCampaign(store, offer.campaignId);
      if (!store.creators.has(offer.creatorId)) {
        throw new ContractError("CREATOR_NOT_FOUND", `Creator ${offer.creatorId} is not known to Dobbletap. Use the dobbletapId from creators_synced.`);
      }
      if (campaign.status === "cancelled" || store.cancelledAssignments.has(`${offer.campaignId}:${offer.creatorId}`)) {
        throw new ContractError("INVALID_STATE", `Campaign ${offer.campaignId} is cancelled for this creator; it takes no more offers.`);
      }
      store.offers.set(offer.id, { ...offer, status: "offered" });
      // Production failure #5: "ok" is not an answer. Name the record that now exists.
      return { type: "offer", id: offer.id, status: "offered" };
    },
  };
}

const text = (params: Record<string, unknown>, key: string) => {
  const value = params[key];
  if (typeof value !== "string") throw new Error(`params.${key} must be a string.`);
  return value;
};

/**
 * The provider states Dobbletap's pact uses, against this store (in the Edge Function, its tables).
 * Mounted with createProviderStates, on test deployments only.
 */
export function providerStateHandlers(store: DobbletapStore): ProviderStateHandlers<"dobbletap"> {
  // Teardown undoes only what would leak into the next interaction: the offer put in place.
  return {
    campaignExists: ({ params, action }) => {
      if (action === "teardown") return;
      const id = text(params, "campaignId");
      store.campaigns.set(id, { ...events.campaign_created.example.data.campaign, id, status: "active" });
      for (const key of store.cancelledAssignments.keys()) if (key.startsWith(`${id}:`)) store.cancelledAssignments.delete(key);
    },
    campaignMissing: ({ params, action }) => {
      if (action === "teardown") return;
      const id = text(params, "campaignId");
      store.campaigns.delete(id);
      // Its offers go with it: an offer for a campaign Dobbletap never saw cannot exist.
      for (const [offerId, offer] of store.offers) if (offer.campaignId === id) store.offers.delete(offerId);
    },
    creatorExists: ({ params, action }) => {
      if (action === "teardown") return;
      const dobbletapId = text(params, "creatorId");
      store.creators.set(dobbletapId, { dobbletapId, handle: text(params, "handle") });
    },
    offerExists: ({ params, action }) => {
      const offer = OfferSchema.parse(params);
      if (action === "teardown") return void store.offers.delete(offer.id);
      store.offers.set(offer.id, { ...offer, status: "offered" });
    },
  };
}
