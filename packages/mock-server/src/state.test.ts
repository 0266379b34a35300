// The contract's business rules, pinned without a socket: each test applies contract examples to a
// MockState and checks the outcome (result or code) and what the store holds afterwards.
import { events, type EventEnvelope, type EventName } from "@dttracker-dobbletap/contracts";
import { describe, expect, it } from "vitest";
import { demoSeed } from "./seed.js";
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
        d.creators = [{ ...base, dobbletapId: other }, { ...base, dobbletapId: ids(), handle: "someone_else" }];
      }),
    );
    expect(batch).toMatchObject({ ok: true, result: { failed: [{ dobbletapId: other, error: { code: "INVALID_STATE" } }] } });
    expect(batch.ok && batch.result.synced).toHaveLength(1);
  });

  it("apply(creators_synced) does not let an older copy overwrite a newer one", () => {
    const state = dttracker();
    state.apply<"creators_synced">(example("creators_synced", (d) => ((d.creators[0].updatedAt = "2020-01-01T00:00:00.000Z"), (d.creators[0].displayName = "Old"))));
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
});
