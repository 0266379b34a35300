/**
 * DTTracker's side of the contract, in memory: the creators synced from Dobbletap (each given a
 * DTTracker id) and the offers DTTracker sent. The handlers return the record they created or changed,
 * or throw a ContractError; the SDK turns both into the contract's answers. In DTTracker's real Edge
 * Functions these Maps are its Postgres tables.
 */
import type { Creator, EventResult } from "@dttracker-dobbletap/contracts";
import { ContractError, duplicateResult, type ProviderStateHandlers, type WebhookHandlers } from "@dttracker-dobbletap/sdk";

export type OfferStatus = "offered" | "accepted" | "declined" | "cancelled";

export interface DttrackerStore {
  /** By Dobbletap's id. */
  creators: Map<string, Creator & { dttrackerId: string }>;
  /** The offers DTTracker sent with offer_sent, by offer id. */
  offers: Map<string, { id: string; campaignId: string; creatorId: string; status: OfferStatus; reason?: string }>;
}

export function createStore(offers: { id: string; campaignId: string; creatorId: string }[] = []): DttrackerStore {
  return {
    creators: new Map(),
    offers: new Map(offers.map((offer) => [offer.id, { ...offer, status: "offered" as OfferStatus }])),
  };
}

type SyncResult = EventResult<"creators_synced">;

/** `POST /functions/v1/creator-sync-from-dobbletap`: one handler, a per-creator answer. */
export function creatorSyncHandlers(store: DttrackerStore): WebhookHandlers<"creators_synced"> {
  return {
    creators_synced: ({ data: { creators } }) => {
      const result: SyncResult = { synced: [], failed: [] };
      for (const creator of creators) {
        // A batch can partly succeed: one bad creator fails alone, the others are stored.
        const holder = [...store.creators.values()].find(
          (known) => known.handle.toLowerCase() === creator.handle.toLowerCase() && known.dobbletapId !== creator.dobbletapId,
        );
        if (holder) {
          result.failed.push({
            dobbletapId: creator.dobbletapId,
            error: { code: "INVALID_STATE", message: `Handle ${creator.handle} already belongs to creator ${holder.dobbletapId}.` },
          });
          continue;
        }
        const dttrackerId = store.creators.get(creator.dobbletapId)?.dttrackerId ?? crypto.randomUUID();
        store.creators.set(creator.dobbletapId, { ...creator, dttrackerId });
        result.synced.push({ dobbletapId: creator.dobbletapId, dttrackerId });
      }
      return result;
    },
  };
}

/** `POST /functions/v1/dobbletap-webhooks`: the creator's answer to an offer. */
export function offerStatusHandlers(store: DttrackerStore): WebhookHandlers<"offer_accepted" | "offer_declined"> {
  const decide = <D extends "accepted" | "declined">(data: { offerId: string; campaignId: string; creatorId: string; reason?: string }, decision: D) => {
    const offer = store.offers.get(data.offerId);
    // The offer is the event's subject: an unknown offer is named first.
    if (!offer) throw new ContractError("OFFER_NOT_FOUND", `Offer ${data.offerId} was never sent by DTTracker. Check the offerId.`);
    if (offer.campaignId !== data.campaignId || offer.creatorId !== data.creatorId) {
      throw new ContractError("INVALID_STATE", `Offer ${data.offerId} belongs to another campaign or creator.`);
    }
    const record = { type: "offer" as const, id: offer.id, status: decision };
    // The same decision twice (a new envelope id) changes nothing: the existing record, duplicate: true.
    if (offer.status === decision) return duplicateResult(record);
    if (offer.status !== "offered") {
      throw new ContractError("INVALID_STATE", `Offer ${offer.id} is already ${offer.status}; it cannot become ${decision}.`);
    }
    offer.status = decision;
    if (data.reason !== undefined) offer.reason = data.reason;
    return record;
  };
  return {
    offer_accepted: ({ data }) => decide(data, "accepted"),
    offer_declined: ({ data }) => decide(data, "declined"),
  };
}

const text = (params: Record<string, unknown>, key: string) => {
  const value = params[key];
  if (typeof value !== "string") throw new Error(`params.${key} must be a string.`);
  return value;
};

/**
 * The provider states DTTracker's pact uses, against this store (in a real deployment, its tables).
 * Mounted with createProviderStates, on test deployments only.
 */
export function providerStateHandlers(store: DttrackerStore): ProviderStateHandlers<"dttracker"> {
  return {
    offerPending: ({ params, action }) => {
      const id = text(params, "offerId");
      if (action === "teardown") return void store.offers.delete(id);
      store.offers.set(id, { id, campaignId: text(params, "campaignId"), creatorId: text(params, "creatorId"), status: "offered" });
    },
    offerMissing: ({ params }) => {
      store.offers.delete(text(params, "offerId"));
    },
  };
}
