// Every rule costs O(1), or O(the records its event names), in the size of the state: the same
// events are timed against a store of 1 000 and of 100 000 offers and creators, and the larger may
// take at most 10× as long (a rule that scans the store takes ~100× there: activation_cancelled
// used to scan every offer, creators_synced to rebuild the handle map from every creator).
import { events, type EventEnvelope, type EventName } from "@dttracker-dobbletap/contracts";
import { describe, expect, it } from "vitest";
import { demoSeed } from "./seed.js";
import { MockState, type MockSeed } from "./state.js";

const BATCHES = 7;
const PER_BATCH = 50;
const OPS = BATCHES * PER_BATCH;
const SMALL = 1_000;
const LARGE = 100_000;
// A batch of 50 O(1) rules takes tens of µs; below this floor the small figure is timer noise.
const FLOOR_MS = 0.05;

let counter = 0;
const uuid = () => `00000000-0000-4000-8000-${(++counter).toString(16).padStart(12, "0")}`;
const base = demoSeed("dobbletap");
const campaign = base.campaigns![0]!;
const creator = base.creators![0]!;
const offer = events.offer_sent.example.data.offer;
const envelope = <E extends EventName>(event: E, data: unknown) => ({ ...events[event].example, id: uuid(), data }) as EventEnvelope<E>;

/** A store of `size` offers (in 100 other campaigns) and `size` creators (unless not wanted), plus what each timed event needs. */
function storeOf(size: number, options: { maxOffers?: number; creators?: boolean } = {}) {
  const others = Array.from({ length: 100 }, () => ({ ...campaign, id: uuid() }));
  const seed: Required<Pick<MockSeed, "campaigns" | "creators" | "offers">> = {
    campaigns: [campaign, ...others],
    creators: [creator, ...Array.from({ length: options.creators === false ? 0 : size }, (_, n) => ({ ...creator, dobbletapId: uuid(), handle: `bulk_${n}` }))],
    offers: Array.from({ length: size }, (_, n) => ({ ...offer, id: uuid(), campaignId: others[n % 100]!.id, creatorId: creator.dobbletapId })),
  };
  // One creator per activation_cancelled, each with an offer in the campaign; offers to accept and decline.
  const cancelled = Array.from({ length: OPS }, (_, n) => ({ ...creator, dobbletapId: uuid(), handle: `cancelled_${n}` }));
  seed.creators.push(...cancelled);
  seed.offers.push(...cancelled.map((c) => ({ ...offer, id: uuid(), campaignId: campaign.id, creatorId: c.dobbletapId })));
  const decisions = Array.from({ length: 2 * OPS }, () => ({ ...offer, id: uuid(), campaignId: campaign.id, creatorId: creator.dobbletapId }));
  seed.offers.push(...decisions);
  const newCampaigns = Array.from({ length: OPS }, () => ({ ...campaign, id: uuid() }));
  const state = new MockState(seed, { maxOffers: options.maxOffers });
  const { creatorId: _, ...wholeCampaign } = events.activation_cancelled.example.data;
  // The events to time: the n-th of each rule, each a first delivery (no duplicate short cut).
  const rules: Record<string, (n: number) => EventEnvelope> = {
    campaign_created: (n) => envelope("campaign_created", { campaign: newCampaigns[n] }),
    activation_updated: (n) => envelope("activation_updated", { campaignId: newCampaigns[n]!.id, changes: { title: `Renamed ${n}` } }),
    "activation_cancelled (one creator)": (n) =>
      envelope("activation_cancelled", { campaignId: campaign.id, creatorId: cancelled[n]!.dobbletapId, reason: "Brief changed" }),
    "activation_cancelled (campaign)": (n) => envelope("activation_cancelled", { ...wholeCampaign, campaignId: newCampaigns[n]!.id }),
    offer_sent: () => envelope("offer_sent", { offer: { ...offer, id: uuid() } }),
    creators_synced: (n) => envelope("creators_synced", { creators: [{ ...creator, dobbletapId: uuid(), handle: `synced_${n}` }] }),
    offer_accepted: (n) => envelope("offer_accepted", { offerId: decisions[n]!.id, campaignId: campaign.id, creatorId: creator.dobbletapId }),
    offer_declined: (n) =>
      envelope("offer_declined", { offerId: decisions[OPS + n]!.id, campaignId: campaign.id, creatorId: creator.dobbletapId, reason: "Booked" }),
  };
  return { state, rules };
}

/** The fastest of the batches, in ms: a GC pause or a busy core lengthens some batches, never all. */
function fastestBatch(state: MockState, next: (n: number) => EventEnvelope): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let batch = 0; batch < BATCHES; batch++) {
    const envelopes = Array.from({ length: PER_BATCH }, (_, i) => next(batch * PER_BATCH + i));
    const started = performance.now();
    for (const event of envelopes) {
      const outcome = state.apply(event);
      if (!outcome.ok) throw new Error(`${event.event}: ${outcome.code} ${outcome.message}`);
    }
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

describe("the rules' cost does not grow with the state", () => {
  const small = storeOf(SMALL);
  const large = storeOf(LARGE);
  // Full to the bound: every offer_sent also forgets one.
  const smallFull = storeOf(SMALL, { maxOffers: SMALL, creators: false });
  const largeFull = storeOf(LARGE, { maxOffers: LARGE, creators: false });
  const cases = [...Object.keys(small.rules).map((name) => [name, small, large] as const), ["offer_sent at maxOffers", smallFull, largeFull] as const];

  it.each(cases)("%s: 100 000 offers and creators cost at most 10× what 1 000 do", (name, few, many) => {
    const rule = name === "offer_sent at maxOffers" ? "offer_sent" : name;
    // Warm the code paths on the small store, then time both.
    const atSmall = fastestBatch(few.state, few.rules[rule]!);
    const atLarge = fastestBatch(many.state, many.rules[rule]!);
    expect(atLarge / Math.max(atSmall, FLOOR_MS), `${name}: ${atSmall.toFixed(3)} ms → ${atLarge.toFixed(3)} ms per ${PER_BATCH}`).toBeLessThan(10);
  });

  it("offer_sent at maxOffers keeps the store at its bound and counts what it forgot", () => {
    expect(largeFull.state.offers.size).toBe(LARGE);
    expect(largeFull.state.evicted.offers).toBeGreaterThanOrEqual(OPS);
  });
});
