import type { Campaign, Creator, ErrorCode, EventEnvelope, EventName, EventResult, Offer } from "@dttracker-dobbletap/contracts";
import { applyRule, decideOffer } from "./rules.js";
import { MultiIndex, Table } from "./table.js";

/**
 * The mock's store: its records, the indexes that let every rule touch only the records it is about,
 * and the bound on how many offers it keeps. Pure: no I/O, no clock, ids from an injectable
 * generator. What each event does to the store is in rules.ts; the HTTP layer only maps an
 * {@link Outcome} to an answer, so every rule can be unit-tested without a socket.
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

/** Options of {@link MockState}. */
export interface MockStateOptions {
  /** The id generator (default `crypto.randomUUID`); tests inject a predictable one. */
  newId?: () => string;
  /**
   * At most this many offers are kept (default: no bound; the server's default is
   * {@link DEFAULT_MAX_OFFERS}). Past it the oldest offer that is no longer `offered` is forgotten
   * first, then the oldest `offered` one; see the README's "Bounded state".
   */
  maxOffers?: number;
}

/** How many offers a server keeps unless told otherwise (`--max-offers`, `MOCK_MAX_OFFERS`): ~160 MB of them. */
export const DEFAULT_MAX_OFFERS = 100_000;

/** What the store has forgotten to stay within its bound, since it was last loaded. */
export interface Evictions {
  offers: number;
}

/** The kinds of record, in the order `snapshot()` and `page()` list them. */
export const recordKinds = ["brands", "campaigns", "creators", "offers", "cancelledAssignments"] as const;
export type RecordKind = (typeof recordKinds)[number];

/** Where a page of the state resumes: the kind, and the position in it of the last record given. */
export interface StateCursor {
  kind: RecordKind;
  after: number;
}

/** One page of the state: at most `limit` records in all, in the seed format, and where to go on. */
export type StatePage = Required<MockSeed> & { next?: StateCursor };

/** A shallow copy without `undefined` members, so records compare and print cleanly. */
export function defined<T extends object>(value: T): T {
  // A loop, not Object.fromEntries(entries.filter): this runs for every record stored.
  const copy: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) copy[key] = value[key];
  return copy as T;
}

const assignmentKey = (campaignId: string, creatorId: string) => `${campaignId}:${creatorId}`;
const isFinished = (status: OfferStatus) => status !== "offered";

/**
 * The in-memory state of one mock party, with the contract's rules.
 *
 * The maps are live: reading them is free, and changing them directly (`state.offers.delete(id)`)
 * keeps every index right. A record's ids (`campaignId`, `creatorId`, a creator's `handle`) are
 * indexed: replace the record (`putOffer`, `putCreator`) rather than editing them in place.
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
  // Indexes first: the tables' hooks write to them.
  readonly #offersByCampaign = new MultiIndex<string, string>();
  readonly #offersByAssignment = new MultiIndex<string, string>();
  readonly #assignmentsByCampaign = new MultiIndex<string, string>();
  readonly #creatorsByHandle = new MultiIndex<string, string>();
  /** Offers no longer `offered`, in the order they became so: the first to forget. */
  readonly #finished = new Set<string>();
  #evicted: Evictions = { offers: 0 };
  readonly #newId: () => string;
  /** The bound on offers (Infinity: none). */
  readonly maxOffers: number;

  readonly #brands = new Table<string, Brand>();
  readonly #campaigns = new Table<string, CampaignRecord>();
  readonly #creators = new Table<string, CreatorRecord>({
    added: (id, creator) => this.#creatorsByHandle.add(creator.handle.toLowerCase(), id),
    removed: (id, creator) => this.#creatorsByHandle.delete(creator.handle.toLowerCase(), id),
  });
  readonly #offers = new Table<string, OfferRecord>({
    added: (id, offer) => {
      this.#offersByCampaign.add(offer.campaignId, id);
      this.#offersByAssignment.add(assignmentKey(offer.campaignId, offer.creatorId), id);
      if (isFinished(offer.status)) this.#finished.add(id);
    },
    removed: (id, offer) => {
      this.#offersByCampaign.delete(offer.campaignId, id);
      this.#offersByAssignment.delete(assignmentKey(offer.campaignId, offer.creatorId), id);
      this.#finished.delete(id);
    },
  });
  readonly #assignments = new Table<string, AssignmentRecord>({
    added: (key, a) => this.#assignmentsByCampaign.add(a.campaignId, key),
    removed: (key, a) => this.#assignmentsByCampaign.delete(a.campaignId, key),
  });

  readonly brands: Map<string, Brand> = this.#brands;
  readonly campaigns: Map<string, CampaignRecord> = this.#campaigns;
  readonly creators: Map<string, CreatorRecord> = this.#creators;
  readonly offers: Map<string, OfferRecord> = this.#offers;
  /** Keyed by `campaignId:creatorId`. */
  readonly assignments: Map<string, AssignmentRecord> = this.#assignments;

  constructor(seed: MockSeed = {}, options: MockStateOptions = {}) {
    this.#newId = options.newId ?? (() => crypto.randomUUID());
    const maxOffers = options.maxOffers ?? Number.POSITIVE_INFINITY;
    if (!(maxOffers >= 1)) throw new RangeError(`maxOffers must be at least 1 (or absent for no bound), not ${String(options.maxOffers)}.`);
    this.maxOffers = maxOffers;
    this.load(seed);
  }

  /** Replaces everything with `seed` (empty when omitted); the eviction count starts again from 0. */
  load(seed: MockSeed = {}): void {
    this.brands.clear();
    this.campaigns.clear();
    this.creators.clear();
    this.offers.clear();
    this.assignments.clear();
    this.#evicted = { offers: 0 };
    for (const brand of seed.brands ?? []) this.brands.set(brand.id, { ...brand });
    for (const { status, ...campaign } of seed.campaigns ?? []) this.putCampaign(campaign, status ?? "active");
    for (const creator of seed.creators ?? []) this.creators.set(creator.dobbletapId, defined({ ...creator }));
    for (const { status, recordId, ...offer } of seed.offers ?? []) this.putOffer(offer, status ?? "offered", recordId);
    for (const a of seed.cancelledAssignments ?? []) {
      this.assignments.set(assignmentKey(a.campaignId, a.creatorId), defined({ ...a, id: a.id ?? this.#newId(), status: "cancelled" as const }));
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

  /**
   * At most `limit` records, in the order of {@link snapshot} (brands, campaigns, creators, offers,
   * cancelled assignments), from `cursor` on; `next` is where the following page starts, absent on
   * the last page. Records added while paging appear on a later page; none is listed twice.
   *
   * @example
   * ```ts
   * let page = state.page(1000);
   * while (page.next) page = state.page(1000, page.next);
   * ```
   */
  page(limit: number, cursor?: StateCursor): StatePage {
    const page: StatePage = { brands: [], campaigns: [], creators: [], offers: [], cancelledAssignments: [] };
    const tables = this.#tables();
    let left = limit;
    const from = cursor === undefined ? 0 : recordKinds.indexOf(cursor.kind);
    for (let k = from; k < recordKinds.length; k++) {
      const kind = recordKinds[k]!;
      const { values, last, more } = tables[kind].page(k === from && cursor ? cursor.after : 0, left);
      (page[kind] as unknown[]) = values;
      left -= values.length;
      // Full: resume after the last record given, in this kind (it may grow meanwhile), unless nothing is left anywhere.
      if (left === 0 && (more || recordKinds.slice(k + 1).some((later) => tables[later].size > 0))) return { ...page, next: { kind, after: last } };
    }
    return page;
  }

  /** Counts per kind, for the start-up banner. */
  summary(): string {
    const n = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;
    return [n(this.brands.size, "brand"), n(this.campaigns.size, "campaign"), n(this.creators.size, "creator"), n(this.offers.size, "offer")].join(", ");
  }

  /** How many records of each kind it holds. */
  counts(): Record<RecordKind, number> {
    const tables = this.#tables();
    return Object.fromEntries(recordKinds.map((kind) => [kind, tables[kind].size])) as Record<RecordKind, number>;
  }

  /** What was forgotten to stay within {@link maxOffers} since the last load (or reset). */
  get evicted(): Readonly<Evictions> {
    return this.#evicted;
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
    return applyRule(this, event);
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
    return decideOffer(this, offerId, decision, reason);
  }

  // ---- the store's writes: the rules and the provider states change records through these ----

  /** Stores a campaign (replacing any with its id) with the given status; its own record id is kept or made. */
  putCampaign(campaign: Campaign & { cancelReason?: string; recordId?: string }, status: CampaignStatus = "active"): CampaignRecord {
    const recordId = campaign.recordId ?? this.campaigns.get(campaign.id)?.recordId ?? this.#newId();
    const record = defined({ ...campaign, status, recordId });
    this.campaigns.set(campaign.id, record);
    if (!this.brands.has(campaign.brand.id)) this.brands.set(campaign.brand.id, { ...campaign.brand });
    return record;
  }

  /** Removes a campaign with its offers and cancelled assignments. */
  removeCampaign(campaignId: string): void {
    this.campaigns.delete(campaignId);
    for (const id of [...(this.#offersByCampaign.get(campaignId) ?? [])]) this.offers.delete(id);
    this.#dropAssignments(campaignId);
  }

  /** Lifts every cancellation of a campaign: active again, no cancelled assignment. */
  reactivateCampaign(campaignId: string): void {
    const campaign = this.campaigns.get(campaignId);
    if (campaign) {
      campaign.status = "active";
      delete campaign.cancelReason;
    }
    this.#dropAssignments(campaignId);
  }

  /** Stores a creator, keeping its DTTracker id when it has none of its own. */
  putCreator(creator: CreatorRecord): CreatorRecord {
    const known = this.creators.get(creator.dobbletapId);
    const record = defined({ ...creator, dttrackerId: creator.dttrackerId ?? known?.dttrackerId });
    this.creators.set(creator.dobbletapId, record);
    return record;
  }

  /** A creator other than `except` whose handle is `handle` (case-insensitive), if any: handles are unique. */
  handleHolder(handle: string, except?: string): string | undefined {
    for (const id of this.#creatorsByHandle.get(handle.toLowerCase()) ?? []) if (id !== except) return id;
    return undefined;
  }

  /**
   * Stores an offer (replacing any with its id) in the given status; its own record id is kept or
   * made. Past {@link maxOffers} an older offer is forgotten (never this one).
   */
  putOffer(offer: Offer & { reason?: string }, status: OfferStatus = "offered", recordId?: string): OfferRecord {
    const record = defined({ ...offer, status, recordId: recordId ?? this.offers.get(offer.id)?.recordId ?? this.#newId() });
    this.offers.set(offer.id, record);
    if (this.offers.size > this.maxOffers) this.#evictOffers(offer.id);
    return record;
  }

  /** Moves an offer to `status` (with the reason, if one is given). */
  setOfferStatus(offer: OfferRecord, status: OfferStatus, reason?: string): void {
    offer.status = status;
    if (reason !== undefined) offer.reason = reason;
    if (!this.offers.has(offer.id)) return;
    // Re-added at the end: the order of the set is the order offers finished in.
    this.#finished.delete(offer.id);
    if (isFinished(status)) this.#finished.add(offer.id);
  }

  /** Stores a cancelled assignment of a creator in a campaign. */
  putAssignment(assignment: AssignmentRecord): AssignmentRecord {
    this.assignments.set(assignmentKey(assignment.campaignId, assignment.creatorId), assignment);
    return assignment;
  }

  /** The cancelled assignment of a creator in a campaign, if any. */
  assignmentOf(campaignId: string, creatorId: string): AssignmentRecord | undefined {
    return this.assignments.get(assignmentKey(campaignId, creatorId));
  }

  /** Cancels the offers still open or agreed in a campaign (optionally one creator's only): only those are read. */
  cancelOffers(campaignId: string, creatorId?: string, reason?: string): void {
    const ids = creatorId === undefined ? this.#offersByCampaign.get(campaignId) : this.#offersByAssignment.get(assignmentKey(campaignId, creatorId));
    // A copy: setOfferStatus reorders #finished, not these sets, but the loop must not see its own writes.
    for (const id of [...(ids ?? [])]) {
      const offer = this.offers.get(id)!;
      if (offer.status === "offered" || offer.status === "accepted") this.setOfferStatus(offer, "cancelled", reason);
    }
  }

  /** A fresh id (injectable for tests). */
  id(): string {
    return this.#newId();
  }

  #tables(): Record<RecordKind, Table<string, unknown>> {
    return { brands: this.#brands, campaigns: this.#campaigns, creators: this.#creators, offers: this.#offers, cancelledAssignments: this.#assignments };
  }

  #dropAssignments(campaignId: string): void {
    for (const key of [...(this.#assignmentsByCampaign.get(campaignId) ?? [])]) this.assignments.delete(key);
  }

  /** Back under the bound: finished offers first (oldest finished first), then the oldest offered ones; never `keep`. */
  #evictOffers(keep: string): void {
    while (this.offers.size > this.maxOffers) {
      let victim: string | undefined;
      for (const id of this.#finished) {
        if (id !== keep) {
          victim = id;
          break;
        }
      }
      if (victim === undefined) {
        for (const id of this.offers.keys()) {
          if (id !== keep) {
            victim = id;
            break;
          }
        }
      }
      if (victim === undefined) return;
      this.offers.delete(victim);
      this.#evicted.offers++;
    }
  }
}
