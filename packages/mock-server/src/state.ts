import {
  clearableFields,
  type Campaign,
  type Creator,
  type ErrorCode,
  type EventData,
  type EventEnvelope,
  type EventName,
  type EventResult,
  type Offer,
} from "@dttracker-dobbletap/contracts";
import { sameContent } from "./same-content.js";

/**
 * The mock's store and the contract's business rules, in one pure module: no I/O, no clock, ids come
 * from an injectable generator. The HTTP layer (server.ts) only maps an {@link Outcome} to an answer,
 * so every rule can be unit-tested without a socket.
 */

/** A brand, as DTTracker knows it. */
export type Brand = Campaign["brand"];
/** A campaign's lifecycle: it takes offers and updates until it is cancelled. */
export type CampaignStatus = "active" | "cancelled";
/** An offer's lifecycle: `offered` → `accepted` | `declined`; `cancelled` when its campaign or assignment is. */
export type OfferStatus = "offered" | "accepted" | "declined" | "cancelled";

/** A campaign in the store. */
export interface CampaignRecord extends Campaign {
  status: CampaignStatus;
  cancelReason?: string;
  /** Dobbletap's own id for the campaign: answers name it (v1.1: `result.id` is the receiver's id). */
  recordId: string;
}
/** A creator in the store; `dttrackerId` is DTTracker's id for it (assigned by `creators_synced`). */
export interface CreatorRecord extends Creator {
  dttrackerId?: string;
}
/** An offer in the store. */
export interface OfferRecord extends Offer {
  status: OfferStatus;
  /** A decline's or cancellation's reason. */
  reason?: string;
  /** The id of the `offer_accepted`/`offer_declined` event the Dobbletap mock sent (reused on a re-send). */
  decisionEventId?: string;
  /**
   * Dobbletap's own id for the offer (its `creator_campaigns` row), which `offer_sent` answers name.
   * As DTTracker the offer is its own record and answers name `id`.
   */
  recordId: string;
}
/** One creator's cancelled part in a campaign (`activation_cancelled` with `creatorId`). */
export interface AssignmentRecord {
  id: string;
  campaignId: string;
  creatorId: string;
  status: "cancelled";
  reason?: string;
}

/**
 * The seed format (also what `GET /__mock/state` returns, so a state can be saved and replayed).
 * Every list is optional; a campaign's brand is added to `brands` automatically.
 */
export interface MockSeed {
  brands?: Brand[];
  campaigns?: (Campaign & { status?: CampaignStatus; cancelReason?: string; recordId?: string })[];
  creators?: CreatorRecord[];
  offers?: (Offer & { status?: OfferStatus; reason?: string; recordId?: string })[];
  cancelledAssignments?: { id?: string; campaignId: string; creatorId: string; reason?: string }[];
}

/** What applying one event did: the contract result, or the contract error to answer with. */
export type Outcome<R> = { ok: true; result: R; duplicate: boolean } | { ok: false; code: ErrorCode; message: string };

/** A creator's or the whole campaign's decision on an offer. */
export type Decision = "accepted" | "declined";

const fail = (code: ErrorCode, message: string) => ({ ok: false, code, message }) as const;
const done = <R>(result: R, duplicate = false) => ({ ok: true, result, duplicate }) as const;

/** Drops `undefined` members so records compare and print cleanly. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The in-memory state of one mock party, with the contract's rules.
 *
 * @example
 * ```ts
 * const state = new MockState({ campaigns: [campaign], creators: [creator] });
 * const outcome = state.apply(events.offer_sent.example);
 * if (outcome.ok) console.log(outcome.result); // { type: "offer", id, status: "offered" }
 * else console.log(outcome.code);              // e.g. "CAMPAIGN_NOT_FOUND"
 * ```
 */
export class MockState {
  readonly brands = new Map<string, Brand>();
  readonly campaigns = new Map<string, CampaignRecord>();
  readonly creators = new Map<string, CreatorRecord>();
  readonly offers = new Map<string, OfferRecord>();
  /** Keyed by `campaignId:creatorId`. */
  readonly assignments = new Map<string, AssignmentRecord>();
  private readonly newId: () => string;

  constructor(seed: MockSeed = {}, options: { newId?: () => string } = {}) {
    this.newId = options.newId ?? (() => crypto.randomUUID());
    this.load(seed);
  }

  /** Replaces everything with `seed` (empty when omitted). */
  load(seed: MockSeed = {}): void {
    this.brands.clear();
    this.campaigns.clear();
    this.creators.clear();
    this.offers.clear();
    this.assignments.clear();
    for (const brand of seed.brands ?? []) this.brands.set(brand.id, { ...brand });
    for (const { status, ...campaign } of seed.campaigns ?? []) this.putCampaign(campaign, status ?? "active");
    for (const creator of seed.creators ?? []) this.creators.set(creator.dobbletapId, defined({ ...creator }));
    for (const { status, recordId, ...offer } of seed.offers ?? []) this.putOffer(offer, status ?? "offered", recordId);
    for (const a of seed.cancelledAssignments ?? []) {
      this.assignments.set(`${a.campaignId}:${a.creatorId}`, defined({ ...a, id: a.id ?? this.newId(), status: "cancelled" as const }));
    }
  }

  /**
   * The whole state as a seed: `new MockState(state.snapshot())` is an equal copy.
   *
   * @example
   * ```ts
   * writeFileSync("seed.json", JSON.stringify(state.snapshot(), null, 2));
   * ```
   */
  snapshot(): Required<MockSeed> {
    return {
      brands: [...this.brands.values()],
      campaigns: [...this.campaigns.values()],
      creators: [...this.creators.values()],
      offers: [...this.offers.values()],
      cancelledAssignments: [...this.assignments.values()],
    };
  }

  /** Counts per kind, for the start-up banner. */
  summary(): string {
    const n = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
    return [
      n(this.brands.size, "brand"),
      n(this.campaigns.size, "campaign"),
      n(this.creators.size, "creator"),
      n(this.offers.size, "offer"),
    ].join(", ");
  }

  /**
   * Applies one validated event and says what happened. Never throws for a rule violation: the
   * outcome carries the contract code and a message that says what to do.
   *
   * @example
   * ```ts
   * const outcome = state.apply(envelope);
   * ```
   */
  apply<E extends EventName>(event: EventEnvelope<E>): Outcome<EventResult<E>> {
    const rule = rules[event.event as E] as Rule<E>;
    return rule(this, event.data as EventData<E>);
  }

  /**
   * A decision on an offer (`offered` → `accepted`/`declined`), shared by DTTracker's
   * `offer_accepted`/`offer_declined` rules and the Dobbletap mock's admin accept/decline. The same
   * decision with the same reason again is a duplicate; the other decision, another reason, or a
   * cancelled offer is `INVALID_STATE` (v1.1).
   *
   * @example
   * ```ts
   * const outcome = state.decide(offerId, "declined", "Fully booked");
   * ```
   */
  decide(offerId: string, decision: Decision, reason?: string): Outcome<OfferRecord> {
    const offer = this.offers.get(offerId);
    if (!offer) {
      return fail(
        "OFFER_NOT_FOUND",
        `Offer ${offerId} is not known here. Only offers delivered with offer_sent can be accepted or declined; check the offerId.`,
      );
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
    offer.status = decision;
    if (reason !== undefined) offer.reason = reason;
    return done(offer);
  }

  // ---- provider-state helpers: make a precondition true, idempotently ----

  /** Stores a campaign (replacing any with its id) with the given status; its own record id is kept or made. */
  putCampaign(
    campaign: Campaign & { cancelReason?: string; recordId?: string },
    status: CampaignStatus = "active",
  ): CampaignRecord {
    const recordId = campaign.recordId ?? this.campaigns.get(campaign.id)?.recordId ?? this.newId();
    const record = defined({ ...campaign, status, recordId });
    this.campaigns.set(campaign.id, record);
    if (!this.brands.has(campaign.brand.id)) this.brands.set(campaign.brand.id, { ...campaign.brand });
    return record;
  }

  /** Removes a campaign with its offers and cancelled assignments. */
  removeCampaign(campaignId: string): void {
    this.campaigns.delete(campaignId);
    for (const [id, offer] of this.offers) if (offer.campaignId === campaignId) this.offers.delete(id);
    for (const [key, a] of this.assignments) if (a.campaignId === campaignId) this.assignments.delete(key);
  }

  /** Lifts every cancellation of a campaign: active again, no cancelled assignment. */
  reactivateCampaign(campaignId: string): void {
    const campaign = this.campaigns.get(campaignId);
    if (campaign) {
      campaign.status = "active";
      delete campaign.cancelReason;
    }
    for (const [key, a] of this.assignments) if (a.campaignId === campaignId) this.assignments.delete(key);
  }

  /** Stores a creator, keeping its DTTracker id when it has none of its own. */
  putCreator(creator: CreatorRecord): CreatorRecord {
    const known = this.creators.get(creator.dobbletapId);
    const record = defined({ ...creator, dttrackerId: creator.dttrackerId ?? known?.dttrackerId });
    this.creators.set(creator.dobbletapId, record);
    return record;
  }

  /** Stores an offer (replacing any with its id) in the given status; its own record id is kept or made. */
  putOffer(offer: Offer & { reason?: string }, status: OfferStatus = "offered", recordId?: string): OfferRecord {
    const record = defined({ ...offer, status, recordId: recordId ?? this.offers.get(offer.id)?.recordId ?? this.newId() });
    this.offers.set(offer.id, record);
    return record;
  }

  /** The cancelled assignment of a creator in a campaign, if any. */
  assignmentOf(campaignId: string, creatorId: string): AssignmentRecord | undefined {
    return this.assignments.get(`${campaignId}:${creatorId}`);
  }

  /** Cancels the offers still open or agreed in a campaign (optionally one creator's only). */
  cancelOffers(campaignId: string, creatorId?: string, reason?: string): void {
    for (const offer of this.offers.values()) {
      if (offer.campaignId !== campaignId || (creatorId !== undefined && offer.creatorId !== creatorId)) continue;
      if (offer.status === "offered" || offer.status === "accepted") {
        offer.status = "cancelled";
        if (reason !== undefined) offer.reason = reason;
      }
    }
  }

  /** A fresh id (injectable for tests). */
  id(): string {
    return this.newId();
  }
}

type Rule<E extends EventName> = (state: MockState, data: EventData<E>) => Outcome<EventResult<E>>;

function campaignNotFound(campaignId: string, retry: string): Outcome<never> {
  return fail(
    "CAMPAIGN_NOT_FOUND",
    `Campaign ${campaignId} is not known to Dobbletap. Send campaign_created first, then retry this ${retry} with the same id.`,
  );
}

function cancelledCampaign(campaign: CampaignRecord, what: string): Outcome<never> {
  return fail(
    "INVALID_STATE",
    `Campaign ${campaign.id} is cancelled; it takes no more ${what}. Publish a new activation (a new campaign id) instead.`,
  );
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
    state.assignments.set(`${campaignId}:${creatorId}`, assignment);
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
      return fail(
        "CREATOR_NOT_FOUND",
        `Creator ${offer.creatorId} is not known to Dobbletap. Address offers by the dobbletapId from creators_synced.`,
      );
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
    const handles = new Map<string, string>();
    for (const known of state.creators.values()) handles.set(known.handle.toLowerCase(), known.dobbletapId);
    for (const creator of creators) {
      // A batch can partly succeed: a handle held by another creator fails that creator only.
      const holder = handles.get(creator.handle.toLowerCase());
      if (holder !== undefined && holder !== creator.dobbletapId) {
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
      if (!known || Date.parse(creator.updatedAt) >= Date.parse(known.updatedAt)) {
        if (known) handles.delete(known.handle.toLowerCase());
        state.putCreator({ ...creator, dttrackerId });
        handles.set(creator.handle.toLowerCase(), creator.dobbletapId);
      }
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
  const outcome = state.decide(data.offerId, decision, data.reason);
  if (!outcome.ok) return outcome;
  // offer_accepted/offer_declined are DTTracker's to receive, and the offer is DTTracker's own record.
  return done({ type: "offer", id: data.offerId, status: decision }, outcome.duplicate);
}
