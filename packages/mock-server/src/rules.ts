import { clearableFields, type ErrorCode, type EventData, type EventEnvelope, type EventName, type EventResult } from "@dttracker-dobbletap/contracts";
import { sameContent } from "./same-content.js";
import { defined, type AssignmentRecord, type CampaignRecord, type Decision, type MockState, type OfferRecord, type Outcome } from "./state.js";

/**
 * The contract's business rules: what each event does to the store (state.ts). Each rule reads and
 * writes only the records its event names, through the store's indexes, so its cost does not grow
 * with the size of the state.
 */

const fail = (code: ErrorCode, message: string) => ({ ok: false, code, message }) as const;
const done = <R>(result: R, duplicate = false) => ({ ok: true, result, duplicate }) as const;

/**
 * Applies one validated event to `state` (what `MockState.apply` does).
 *
 * @example
 * ```ts
 * const outcome = applyRule(state, envelope);
 * ```
 */
export function applyRule<E extends EventName>(state: MockState, event: EventEnvelope<E>): Outcome<EventResult<E>> {
  const rule = rules[event.event as E] as Rule<E>;
  return rule(state, event.data as EventData<E>);
}

/**
 * A decision on an offer (what `MockState.decide` does): `offered` → `accepted`/`declined`; the
 * same decision with the same reason again is a duplicate; the other decision, another reason, or
 * a cancelled offer is `INVALID_STATE` (v1.1).
 *
 * @example
 * ```ts
 * const outcome = decideOffer(state, offerId, "declined", "Fully booked");
 * ```
 */
export function decideOffer(state: MockState, offerId: string, decision: Decision, reason?: string): Outcome<OfferRecord> {
  const offer = state.offers.get(offerId);
  if (!offer) {
    return fail("OFFER_NOT_FOUND", `Offer ${offerId} is not known here. Only offers delivered with offer_sent can be accepted or declined; check the offerId.`);
  }
  if (offer.status === decision) {
    if (offer.reason === reason) return done(offer, true);
    return fail(
      "INVALID_STATE",
      `Offer ${offerId} was already ${decision} ${offer.reason === undefined ? "without a reason" : "with another reason"}; a decision cannot be changed. Resend the first decision unchanged, or nothing.`,
    );
  }
  if (offer.status !== "offered") {
    return fail(
      "INVALID_STATE",
      `Offer ${offerId} is already ${offer.status}; it cannot become ${decision}. Only an offer in status offered can be accepted or declined.`,
    );
  }
  state.setOfferStatus(offer, decision, reason);
  return done(offer);
}

type Rule<E extends EventName> = (state: MockState, data: EventData<E>) => Outcome<EventResult<E>>;

function campaignNotFound(campaignId: string, retry: string): Outcome<never> {
  return fail(
    "CAMPAIGN_NOT_FOUND",
    `Campaign ${campaignId} is not known to Dobbletap. Send campaign_created first, then retry this ${retry} with the same id.`,
  );
}

function cancelledCampaign(campaign: CampaignRecord, what: string): Outcome<never> {
  return fail("INVALID_STATE", `Campaign ${campaign.id} is cancelled; it takes no more ${what}. Publish a new activation (a new campaign id) instead.`);
}

/**
 * The contract's business rules, one per event. Routes and handler maps are derived from the
 * contract's event map; only what each event *means* is written here.
 */
const rules: { [E in EventName]: Rule<E> } = {
  campaign_created(state, { campaign }) {
    const known = state.campaigns.get(campaign.id);
    if (known) {
      const { status, cancelReason, recordId, ...content } = known;
      if (sameContent(content, campaign)) return done({ type: "campaign", id: recordId, status }, true);
      return fail(
        "INVALID_STATE",
        `Campaign ${campaign.id} already exists with different content. Send activation_updated to change it, or use a new campaign id.`,
      );
    }
    const record = state.putCampaign(campaign);
    return done({ type: "campaign", id: record.recordId, status: "active" });
  },

  activation_updated(state, { campaignId, changes }) {
    const campaign = state.campaigns.get(campaignId);
    if (!campaign) return campaignNotFound(campaignId, "update");
    if (campaign.status === "cancelled") return cancelledCampaign(campaign, "updates");
    const merged = { ...campaign, ...defined(changes) } as CampaignRecord & Partial<Record<(typeof clearableFields)[number], unknown>>;
    // v1.1: null clears an optional field.
    for (const field of clearableFields) if (merged[field] === null) delete merged[field];
    // The event checks its own fields; only the merged record shows an end before an unchanged start.
    if (merged.startsAt && merged.endsAt && Date.parse(merged.endsAt) < Date.parse(merged.startsAt)) {
      return fail(
        "INVALID_STATE",
        `The update would end campaign ${campaignId} (endsAt ${merged.endsAt}) before it starts (startsAt ${merged.startsAt}). Send both dates together.`,
      );
    }
    for (const field of clearableFields) delete campaign[field];
    Object.assign(campaign, merged);
    return done({ type: "campaign", id: campaign.recordId, status: "active" });
  },

  activation_cancelled(state, { campaignId, creatorId, reason }) {
    const campaign = state.campaigns.get(campaignId);
    if (!campaign) return campaignNotFound(campaignId, "cancellation");
    if (creatorId === undefined) {
      if (campaign.status === "cancelled") return done({ type: "campaign", id: campaign.recordId, status: "cancelled" }, true);
      campaign.status = "cancelled";
      if (reason !== undefined) campaign.cancelReason = reason;
      state.cancelOffers(campaignId, undefined, reason);
      return done({ type: "campaign", id: campaign.recordId, status: "cancelled" });
    }
    const known = state.assignmentOf(campaignId, creatorId);
    if (known) return done({ type: "assignment", id: known.id, status: "cancelled" }, true);
    if (!state.creators.has(creatorId)) {
      return fail(
        "CREATOR_NOT_FOUND",
        `Creator ${creatorId} is not known to Dobbletap, so it has no assignment in campaign ${campaignId}. Check the creatorId (Dobbletap's dobbletapId).`,
      );
    }
    const assignment: AssignmentRecord = defined({ id: state.id(), campaignId, creatorId, status: "cancelled" as const, reason });
    state.putAssignment(assignment);
    state.cancelOffers(campaignId, creatorId, reason);
    return done({ type: "assignment", id: assignment.id, status: "cancelled" });
  },

  offer_sent(state, { offer }) {
    const known = state.offers.get(offer.id);
    if (known) {
      const { status, reason, decisionEventId, recordId, ...content } = known;
      // v1.1: offer_sent's result is always `offered` — the record as this event created it, even
      // when the creator has decided since (the decision travels as its own event).
      if (sameContent(content, offer)) return done({ type: "offer", id: recordId, status: "offered" }, true);
      return fail(
        "INVALID_STATE",
        `Offer ${offer.id} already exists with different content. An offer cannot be changed once sent: send a new offer with a new id.`,
      );
    }
    // v1.1's order: unknown campaign (404), cancelled campaign (409), unknown creator (404).
    const campaign = state.campaigns.get(offer.campaignId);
    if (!campaign) return campaignNotFound(offer.campaignId, "offer");
    if (campaign.status === "cancelled") return cancelledCampaign(campaign, "offers");
    if (!state.creators.has(offer.creatorId)) {
      return fail("CREATOR_NOT_FOUND", `Creator ${offer.creatorId} is not known to Dobbletap. Address offers by the dobbletapId from creators_synced.`);
    }
    if (state.assignmentOf(offer.campaignId, offer.creatorId)) {
      return fail(
        "INVALID_STATE",
        `Creator ${offer.creatorId}'s assignment in campaign ${offer.campaignId} was cancelled; it takes no more offers for this creator.`,
      );
    }
    const record = state.putOffer(offer);
    return done({ type: "offer", id: record.recordId, status: "offered" });
  },

  creators_synced(state, { creators }) {
    const synced: { dobbletapId: string; dttrackerId: string }[] = [];
    const failed: { dobbletapId: string; error: { code: ErrorCode; message: string } }[] = [];
    for (const creator of creators) {
      // A batch can partly succeed: a handle held by another creator fails that creator only.
      const holder = state.handleHolder(creator.handle, creator.dobbletapId);
      if (holder !== undefined) {
        failed.push({
          dobbletapId: creator.dobbletapId,
          error: {
            code: "INVALID_STATE",
            message: `Handle ${creator.handle} already belongs to creator ${holder}. Handles are unique; sync the other creator's new handle first.`,
          },
        });
        continue;
      }
      const known = state.creators.get(creator.dobbletapId);
      const dttrackerId = known?.dttrackerId ?? state.id();
      // An older copy than the one stored is acknowledged but does not overwrite newer data.
      if (!known || Date.parse(creator.updatedAt) >= Date.parse(known.updatedAt)) state.putCreator({ ...creator, dttrackerId });
      synced.push({ dobbletapId: creator.dobbletapId, dttrackerId });
    }
    return done({ synced, failed });
  },

  offer_accepted(state, data) {
    return decideByEvent(state, data, "accepted" as const);
  },

  offer_declined(state, data) {
    return decideByEvent(state, data, "declined" as const);
  },
};

function decideByEvent<D extends Decision>(
  state: MockState,
  data: { offerId: string; campaignId: string; creatorId: string; reason?: string | undefined },
  decision: D,
): Outcome<{ type: "offer"; id: string; status: D }> {
  const offer = state.offers.get(data.offerId);
  // The offer is the event's subject: an unknown offer is named before anything else.
  if (offer && (offer.campaignId !== data.campaignId || offer.creatorId !== data.creatorId)) {
    return fail(
      "INVALID_STATE",
      `Offer ${data.offerId} belongs to campaign ${offer.campaignId} and creator ${offer.creatorId}, not to the campaignId/creatorId sent. Send the ids from the offer_sent event.`,
    );
  }
  const outcome = decideOffer(state, data.offerId, decision, data.reason);
  if (!outcome.ok) return outcome;
  // offer_accepted/offer_declined are DTTracker's to receive, and the offer is DTTracker's own record.
  return done({ type: "offer", id: data.offerId, status: decision }, outcome.duplicate);
}
