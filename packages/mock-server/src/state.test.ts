// The contract's business rules, pinned without a socket: each test applies contract examples to a
// MockState and checks the outcome (result or code) and what the store holds afterwards.
import { events, type EventEnvelope, type EventName } from "@dttracker-dobbletap/contracts";
import { describe, expect, it } from "vitest";
import { demoSeed, SeedSchema } from "./seed.js";
import { MockState } from "./state.js";

const example = <E extends EventName>(name: E, edit?: (data: any) => void): EventEnvelope<E> => {
  const envelope = structuredClone(events[name].example) as any;
  edit?.(envelope.data);
  return envelope;
};
const campaignId = events.campaign_created.example.data.campaign.id;
const creatorId = events.creators_synced.example.data.creators[0]!.dobbletapId;
const offerId = events.offer_sent.example.data.offer.id;
let counter = 0;
const ids = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, "0")}`;

describe("MockState as Dobbletap", () => {
  const dobbletap = () => new MockState(demoSeed("dobbletap"), { newId: ids });

  it("apply(offer_sent) in v1.1's order: unknown campaign 404, then cancelled campaign 409, then unknown creator 404", () => {
    const stranger = { ...example("offer_sent"), data: { offer: { ...example("offer_sent").data.offer, creatorId: ids() } } };
    expect(new MockState({}, { newId: ids }).apply(stranger)).toMatchObject({ ok: false, code: "CAMPAIGN_NOT_FOUND" });
    const state = dobbletap();
    state.apply(example("activation_cancelled", (d) => delete d.creatorId));
    // Both the campaign is cancelled and the creator unknown: the cancelled campaign is named.
    expect(state.apply(stranger)).toMatchObject({ ok: false, code: "INVALID_STATE" });
    expect(dobbletap().apply(stranger)).toMatchObject({ ok: false, code: "CREATOR_NOT_FOUND" });
  });

  it("apply(offer_sent) again under a new event id answers status offered even after the creator decided", () => {
    const state = dobbletap();
    const first = state.apply(example("offer_sent"));
    expect(state.decide(offerId, "accepted")).toMatchObject({ ok: true });
    expect(state.apply(example("offer_sent"))).toEqual({ ...first, duplicate: true });
  });

  it("apply(activation_updated) with null clears brief, budget, startsAt and endsAt; absent fields stay", () => {
    const state = dobbletap();
    const before = { ...state.campaigns.get(campaignId)! };
    expect(before.brief && before.budget && before.startsAt && before.endsAt).toBeTruthy();
    const cleared = state.apply(example("activation_updated", (d) => (d.changes = { brief: null, budget: null, startsAt: null, endsAt: null })));
    expect(cleared).toMatchObject({ ok: true, result: { status: "active", id: before.recordId } });
    const after = state.campaigns.get(campaignId)!;
    for (const field of ["brief", "budget", "startsAt", "endsAt"]) expect(field in after).toBe(false);
    expect([after.title, after.platforms, after.visibility]).toEqual([before.title, before.platforms, before.visibility]);
    // A cleared start no longer conflicts with an early end.
    expect(state.apply(example("activation_updated", (d) => (d.changes = { endsAt: "2026-01-01T00:00:00.000Z" })))).toMatchObject({ ok: true });
    expect(JSON.stringify(state.snapshot())).not.toContain("null");
  });

  it("apply(campaign_created) creates the campaign; the same content again is a duplicate, different content INVALID_STATE", () => {
    const state = new MockState({ creators: demoSeed("dobbletap").creators }, { newId: ids });
    const created = state.apply(example("campaign_created"));
    // v1.1: result.id is Dobbletap's own record id, not DTTracker's campaign id.
    const recordId = state.campaigns.get(campaignId)!.recordId;
    expect(recordId).not.toBe(campaignId);
    expect(created).toEqual({ ok: true, duplicate: false, result: { type: "campaign", id: recordId, status: "active" } });
    expect(state.apply(example("campaign_created"))).toEqual({ ok: true, duplicate: true, result: { type: "campaign", id: recordId, status: "active" } });
    expect(state.apply(example("campaign_created", (d) => (d.campaign.title = "Other")))).toMatchObject({ ok: false, code: "INVALID_STATE" });
  });

  it("apply(offer_sent) names CAMPAIGN_NOT_FOUND first, then CREATOR_NOT_FOUND, then creates the offer once both exist", () => {
    const state = new MockState({}, { newId: ids });
    const missing = state.apply(example("offer_sent"));
    expect(missing).toMatchObject({ ok: false, code: "CAMPAIGN_NOT_FOUND" });
    expect(!missing.ok && missing.message).toMatch(/Send campaign_created first, then retry this offer with the same id/);
    state.apply(example("campaign_created"));
    expect(state.apply(example("offer_sent"))).toMatchObject({ ok: false, code: "CREATOR_NOT_FOUND" });
    state.putCreator(demoSeed("dobbletap").creators![0]!);
    const recordId = (state.apply(example("offer_sent")) as { result: { id: string } }).result.id;
    expect(state.offers.get(offerId)).toMatchObject({ status: "offered", recordId });
    expect(recordId).not.toBe(offerId);
  });

  it("apply(offer_sent) with the same offer id: identical → duplicate, different → INVALID_STATE", () => {
    const state = dobbletap();
    state.apply(example("offer_sent"));
    expect(state.apply(example("offer_sent"))).toMatchObject({ ok: true, duplicate: true, result: { status: "offered" } });
    expect(state.apply(example("offer_sent", (d) => (d.offer.amount.amountMinor = 1)))).toMatchObject({ ok: false, code: "INVALID_STATE" });
  });

  it("apply(activation_updated) changes the campaign; unknown → CAMPAIGN_NOT_FOUND; cancelled → INVALID_STATE", () => {
    const state = dobbletap();
    expect(state.apply(example("activation_updated"))).toMatchObject({ ok: true, result: { type: "campaign", status: "active" } });
    expect(state.campaigns.get(campaignId)?.budget?.amountMinor).toBe(200000000);
    expect(state.apply(example("activation_updated", (d) => (d.changes = { endsAt: "2026-01-01T00:00:00.000Z" })))).toMatchObject({
      ok: false,
      code: "INVALID_STATE",
    });
    expect(state.apply(example("activation_updated", (d) => (d.campaignId = ids())))).toMatchObject({ ok: false, code: "CAMPAIGN_NOT_FOUND" });
    state.apply(example("activation_cancelled", (d) => delete d.creatorId));
    expect(state.apply(example("activation_updated"))).toMatchObject({ ok: false, code: "INVALID_STATE" });
  });

  it("apply(activation_cancelled) with creatorId cancels that assignment and its offers; the creator gets no more offers there", () => {
    const state = dobbletap();
    state.apply(example("offer_sent"));
    const cancelled = state.apply(example("activation_cancelled"));
    expect(cancelled).toMatchObject({ ok: true, duplicate: false, result: { type: "assignment", status: "cancelled" } });
    expect(state.apply(example("activation_cancelled"))).toEqual({ ...cancelled, duplicate: true });
    expect(state.offers.get(offerId)?.status).toBe("cancelled");
    expect(state.campaigns.get(campaignId)?.status).toBe("active");
    expect(state.apply(example("offer_sent", (d) => (d.offer.id = ids())))).toMatchObject({ ok: false, code: "INVALID_STATE" });
  });

  it("apply(activation_cancelled) without creatorId cancels the campaign; again → 200 cancelled; offers then INVALID_STATE", () => {
    const state = dobbletap();
    const cancel = example("activation_cancelled", (d) => delete d.creatorId);
    expect(state.apply(cancel)).toMatchObject({ ok: true, duplicate: false, result: { type: "campaign", status: "cancelled" } });
    expect(state.apply(cancel)).toMatchObject({ ok: true, duplicate: true, result: { type: "campaign", status: "cancelled" } });
    expect(state.apply(example("offer_sent"))).toMatchObject({ ok: false, code: "INVALID_STATE" });
    expect(state.apply(example("activation_cancelled", (d) => (d.campaignId = ids())))).toMatchObject({ ok: false, code: "CAMPAIGN_NOT_FOUND" });
  });

  it("decide(offerId, decision) moves offered → accepted once; the other decision is INVALID_STATE", () => {
    const state = dobbletap();
    expect(state.decide(offerId, "accepted")).toMatchObject({ ok: false, code: "OFFER_NOT_FOUND" });
    state.apply(example("offer_sent"));
    expect(state.decide(offerId, "accepted")).toMatchObject({ ok: true, duplicate: false });
    expect(state.decide(offerId, "accepted")).toMatchObject({ ok: true, duplicate: true });
    expect(state.decide(offerId, "declined")).toMatchObject({ ok: false, code: "INVALID_STATE" });
  });
});

describe("MockState as DTTracker", () => {
  const dttracker = () => new MockState(demoSeed("dttracker"), { newId: ids });

  it("apply(creators_synced) maps each creator; re-syncing keeps the dttrackerId; a taken handle fails that creator only", () => {
    const state = new MockState({}, { newId: ids });
    const first = state.apply<"creators_synced">(example("creators_synced"));
    expect(first.ok && first.result.synced).toHaveLength(1);
    const dttrackerId = first.ok ? first.result.synced[0]!.dttrackerId : "";
    const again = state.apply<"creators_synced">(example("creators_synced", (d) => (d.creators[0].displayName = "Renamed")));
    expect(again).toMatchObject({ ok: true, result: { synced: [{ dobbletapId: creatorId, dttrackerId }], failed: [] } });
    expect(state.creators.get(creatorId)?.displayName).toBe("Renamed");

    const other = ids();
    const batch = state.apply<"creators_synced">(
      example("creators_synced", (d) => {
        const base = d.creators[0];
        d.creators = [
          { ...base, dobbletapId: other },
          { ...base, dobbletapId: ids(), handle: "someone_else" },
        ];
      }),
    );
    expect(batch).toMatchObject({ ok: true, result: { failed: [{ dobbletapId: other, error: { code: "INVALID_STATE" } }] } });
    expect(batch.ok && batch.result.synced).toHaveLength(1);
  });

  it("apply(creators_synced) does not let an older copy overwrite a newer one", () => {
    const state = dttracker();
    state.apply<"creators_synced">(
      example("creators_synced", (d) => ((d.creators[0].updatedAt = "2020-01-01T00:00:00.000Z"), (d.creators[0].displayName = "Old"))),
    );
    expect(state.creators.get(creatorId)?.displayName).toBe("Wickhed");
  });

  it("apply(offer_accepted) accepts the seeded offer; again → duplicate; then offer_declined → INVALID_STATE", () => {
    const state = dttracker();
    expect(state.apply(example("offer_accepted"))).toEqual({ ok: true, duplicate: false, result: { type: "offer", id: offerId, status: "accepted" } });
    expect(state.apply(example("offer_accepted"))).toMatchObject({ ok: true, duplicate: true });
    expect(state.apply(example("offer_declined"))).toMatchObject({ ok: false, code: "INVALID_STATE" });
  });

  it("apply(offer_declined) a second time under a new event id: same reason → duplicate, another reason → INVALID_STATE (v1.1)", () => {
    const state = dttracker();
    expect(state.apply(example("offer_declined"))).toMatchObject({ ok: true, duplicate: false, result: { status: "declined" } });
    expect(state.apply(example("offer_declined"))).toMatchObject({ ok: true, duplicate: true, result: { status: "declined" } });
    const other = state.apply(example("offer_declined", (d) => (d.reason = "Changed my mind")));
    expect(other).toMatchObject({ ok: false, code: "INVALID_STATE" });
    expect(!other.ok && other.message).toMatch(/already declined with another reason/);
    expect(state.apply(example("offer_declined", (d) => delete d.reason))).toMatchObject({ ok: false, code: "INVALID_STATE" });
    expect(state.offers.get(offerId)?.reason).toBe("Fully booked until March");
  });

  it("apply(offer_declined) for an unknown offer → OFFER_NOT_FOUND, even when the campaign is unknown too", () => {
    const state = new MockState({}, { newId: ids });
    expect(state.apply(example("offer_declined"))).toMatchObject({ ok: false, code: "OFFER_NOT_FOUND" });
    const seeded = dttracker();
    expect(seeded.apply(example("offer_declined", (d) => (d.creatorId = ids())))).toMatchObject({ ok: false, code: "INVALID_STATE" });
    expect(seeded.apply(example("offer_declined"))).toMatchObject({ ok: true, result: { status: "declined" } });
    expect(seeded.offers.get(offerId)?.reason).toBe("Fully booked until March");
  });

  it("snapshot() is a seed: a state rebuilt from it is equal", () => {
    const state = dttracker();
    state.apply(example("offer_accepted"));
    const copy = new MockState(structuredClone(state.snapshot()));
    expect(copy.snapshot()).toEqual(state.snapshot());
  });

  it("snapshot() of an offer decided on the admin route is a valid --seed file (its decision event id kept)", () => {
    const state = dttracker();
    const offer = [...state.offers.values()][0]!;
    offer.decisionEventId = state.id(); // what POST /__mock/offers/:id/accept records before it sends
    const seed = SeedSchema.parse(JSON.parse(JSON.stringify(state.snapshot())));
    expect(new MockState(seed).offers.get(offer.id)?.decisionEventId).toBe(offer.decisionEventId);
  });
});

describe("MockState's indexes", () => {
  const campaign = () => demoSeed("dobbletap").campaigns![0]!;
  const creator = (n: number) => ({ ...demoSeed("dobbletap").creators![0]!, dobbletapId: ids(), handle: `creator_${n}` });
  const offer = (campaignId: string, creatorId: string) => ({ ...events.offer_sent.example.data.offer, id: ids(), campaignId, creatorId });

  it("activation_cancelled for one creator cancels that creator's open offers in that campaign only", () => {
    const other = { ...campaign(), id: ids() };
    const [a, b] = [creator(1), creator(2)];
    const state = new MockState({ campaigns: [campaign(), other], creators: [a, b] }, { newId: ids });
    const mine = state.putOffer(offer(campaignId, a.dobbletapId));
    const decided = state.putOffer(offer(campaignId, a.dobbletapId), "declined");
    const otherCreator = state.putOffer(offer(campaignId, b.dobbletapId));
    const otherCampaign = state.putOffer(offer(other.id, a.dobbletapId));
    state.apply(example("activation_cancelled", (d) => ((d.creatorId = a.dobbletapId), (d.reason = "Brief changed"))));
    expect([mine, decided, otherCreator, otherCampaign].map((o) => state.offers.get(o.id)!.status)).toEqual(["cancelled", "declined", "offered", "offered"]);
    expect(state.offers.get(mine.id)!.reason).toBe("Brief changed");
  });

  it("the indexes follow edits made to the maps directly: a deleted offer is not cancelled, a replaced one is found under its new campaign", () => {
    const other = { ...campaign(), id: ids() };
    const a = creator(1);
    const state = new MockState({ campaigns: [campaign(), other], creators: [a] }, { newId: ids });
    const gone = state.putOffer(offer(campaignId, a.dobbletapId));
    const moved = state.putOffer(offer(campaignId, a.dobbletapId));
    state.offers.delete(gone.id);
    state.offers.set(moved.id, { ...moved, campaignId: other.id });
    state.apply(example("activation_cancelled", (d) => ((d.campaignId = other.id), delete d.creatorId)));
    expect(state.offers.get(moved.id)!.status).toBe("cancelled");
    expect(state.offers.has(gone.id)).toBe(false);
    // removeCampaign takes the campaign's offers and cancelled assignments with it, no others.
    const kept = state.putOffer(offer(campaignId, a.dobbletapId));
    state.apply(example("activation_cancelled", (d) => (d.creatorId = a.dobbletapId)));
    state.removeCampaign(other.id);
    expect([state.offers.has(moved.id), state.offers.has(kept.id), state.assignmentOf(campaignId, a.dobbletapId) !== undefined]).toEqual([false, true, true]);
    state.reactivateCampaign(campaignId);
    expect(state.assignmentOf(campaignId, a.dobbletapId)).toBeUndefined();
  });

  it("creators_synced sees a handle freed by a re-sync in the same batch, and one freed by deleting its creator", () => {
    const state = new MockState({}, { newId: ids });
    const base = example("creators_synced").data.creators[0]!;
    const [a, b] = [ids(), ids()];
    state.apply<"creators_synced">(example("creators_synced", (d) => (d.creators = [{ ...base, dobbletapId: a, handle: "Alpha" }])));
    // b cannot take a's handle (in any case), until a moves to another one earlier in the same batch.
    expect(state.apply<"creators_synced">(example("creators_synced", (d) => (d.creators = [{ ...base, dobbletapId: b, handle: "alpha" }])))).toMatchObject({
      ok: true,
      result: { failed: [{ dobbletapId: b }] },
    });
    const swap = state.apply<"creators_synced">(
      example(
        "creators_synced",
        (d) =>
          (d.creators = [
            { ...base, dobbletapId: a, handle: "beta" },
            { ...base, dobbletapId: b, handle: "alpha" },
          ]),
      ),
    );
    expect(swap.ok && swap.result.failed).toEqual([]);
    state.creators.delete(b);
    const c = ids();
    const taken = state.apply<"creators_synced">(example("creators_synced", (d) => (d.creators = [{ ...base, dobbletapId: c, handle: "ALPHA" }])));
    expect(taken.ok && taken.result.failed).toEqual([]);
  });
});

describe("MockState with maxOffers", () => {
  const seed = () => demoSeed("dobbletap");
  const send = (state: MockState) => {
    const id = ids();
    const outcome = state.apply(example("offer_sent", (d) => (d.offer.id = id)));
    expect(outcome.ok).toBe(true);
    return id;
  };

  it("forgets finished offers first, the oldest finished first, then the oldest offered; never the one being written; counts each", () => {
    const state = new MockState(seed(), { newId: ids, maxOffers: 3 });
    const [first, second, third] = [send(state), send(state), send(state)];
    state.decide(third, "declined");
    state.decide(second, "accepted");
    const fourth = send(state);
    // third finished first: it goes first, although first and second are older.
    expect([...state.offers.keys()]).toEqual([first, second, fourth]);
    send(state);
    expect(state.offers.has(second)).toBe(false);
    const sixth = send(state);
    // No finished offer left: the oldest offered one goes.
    expect(state.offers.has(first)).toBe(false);
    expect(state.offers.size).toBe(3);
    expect(state.offers.has(sixth)).toBe(true);
    expect(state.evicted).toEqual({ offers: 3 });
  });

  it("an event naming a forgotten offer is answered as for an offer never seen (documented): a re-send creates it again", () => {
    const state = new MockState(seed(), { newId: ids, maxOffers: 1 });
    const first = state.apply<"offer_sent">(example("offer_sent"));
    send(state);
    expect(state.offers.has(offerId)).toBe(false);
    const again = state.apply<"offer_sent">(example("offer_sent"));
    expect(again).toMatchObject({ ok: true, duplicate: false, result: { status: "offered" } });
    expect(again.ok && first.ok && again.result.id).not.toBe(first.ok && first.result.id);
    expect(state.decide(ids(), "accepted")).toMatchObject({ ok: false, code: "OFFER_NOT_FOUND" });
  });

  it("a provider state's finished offer is kept although it is the only finished one; a seed over the bound is cut on load; reset counts from 0", () => {
    const state = new MockState(seed(), { newId: ids, maxOffers: 2 });
    send(state);
    send(state);
    const kept = state.putOffer({ ...events.offer_sent.example.data.offer, id: ids() }, "declined");
    expect(state.offers.has(kept.id)).toBe(true);
    expect(state.offers.size).toBe(2);
    const offers = Array.from({ length: 5 }, () => ({ ...events.offer_sent.example.data.offer, id: ids() }));
    state.load({ ...seed(), offers });
    expect([...state.offers.keys()]).toEqual(offers.slice(3).map((o) => o.id));
    expect(state.evicted.offers).toBe(3);
    state.load(seed());
    expect(state.evicted.offers).toBe(0);
    expect(() => new MockState({}, { maxOffers: 0 })).toThrow(/maxOffers must be at least 1/);
  });
});

describe("MockState.page", () => {
  const offers = (n: number) => Array.from({ length: n }, () => ({ ...events.offer_sent.example.data.offer, id: ids() }));
  const walk = (state: MockState, limit: number, between?: (page: number) => void) => {
    const seen: string[] = [];
    let page = state.page(limit);
    for (let n = 0; ; n++) {
      expect(Object.values(page).flat().length).toBeLessThanOrEqual(limit + 1);
      seen.push(
        ...page.brands.map((b) => b.id),
        ...page.campaigns.map((c) => c.id),
        ...page.creators.map((c) => c.dobbletapId),
        ...page.offers.map((o) => o.id),
      );
      if (!page.next) return seen;
      between?.(n);
      page = state.page(limit, page.next);
    }
  };

  it("a state within one page is the snapshot, with no next", () => {
    const state = new MockState({ ...demoSeed("dttracker"), offers: offers(3) });
    expect(state.page(1000)).toEqual(state.snapshot());
  });

  it("pages list every record once, in the snapshot's order, across kinds, at most limit a page", () => {
    const state = new MockState({ ...demoSeed("dobbletap"), offers: offers(10) });
    const all = state.snapshot();
    const expected = [
      ...all.brands.map((b) => b.id),
      ...all.campaigns.map((c) => c.id),
      ...all.creators.map((c) => c.dobbletapId),
      ...all.offers.map((o) => o.id),
    ];
    for (const limit of [1, 2, 3, 7, 13, 100]) expect(walk(state, limit)).toEqual(expected);
  });

  it("records deleted or added between pages: none listed twice, none still held skipped", () => {
    const state = new MockState({ ...demoSeed("dobbletap"), offers: offers(20) });
    const before = [...state.offers.keys()];
    const added: string[] = [];
    const seen = walk(state, 4, (n) => {
      // Forget an offer already listed and one not yet listed; add one.
      state.offers.delete(before[n]!);
      if (n === 1) state.offers.delete(before[19]!);
      const offer = state.putOffer({ ...events.offer_sent.example.data.offer, id: ids() });
      added.push(offer.id);
    });
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of state.offers.keys()) expect(seen).toContain(id);
    expect(seen).not.toContain(before[19]);
    expect(seen).toEqual(expect.arrayContaining(added));
  });
});
