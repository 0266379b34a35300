// The mock's provider states are the contract's, matched by name: every state the contracts package
// names is set up here, with the params the pacts send, and nothing else is accepted.
import { events, providerStates, type ProviderStateKey } from "@dttracker-dobbletap/contracts";
import { describe, expect, it, vi } from "vitest";
import { applyProviderState, ProviderStateError, providerStateNames } from "./provider-states.js";
import { MockState } from "./state.js";

const campaign = events.campaign_created.example.data.campaign;
const offer = events.offer_sent.example.data.offer;
const creator = events.creators_synced.example.data.creators[0]!;

function context(state = new MockState()) {
  return { state, reset: vi.fn(), refuseNextSignature: vi.fn() };
}

describe("applyProviderState()", () => {
  it("knows exactly the contract's states, by name", () => {
    expect([...providerStateNames].sort()).toEqual(Object.values(providerStates).sort());
  });

  it.each(Object.keys(providerStates) as ProviderStateKey[])("sets up %s under its contract name, in any case", (key) => {
    const ctx = context();
    expect(() => applyProviderState(ctx, { state: providerStates[key], params: {}, action: "setup" })).not.toThrow();
    expect(() => applyProviderState(ctx, { state: providerStates[key].toUpperCase(), action: "setup" })).not.toThrow();
    applyProviderState(ctx, { state: providerStates[key], action: "teardown" });
    expect(ctx.reset).toHaveBeenCalledTimes(1);
  });

  it("makes each state true with the params the pacts send", () => {
    const ctx = context();
    applyProviderState(ctx, { state: providerStates.campaignExists, params: { campaignId: campaign.id } });
    expect(ctx.state.campaigns.get(campaign.id)?.status).toBe("active");
    applyProviderState(ctx, { state: providerStates.campaignCancelled, params: { campaignId: campaign.id } });
    expect(ctx.state.campaigns.get(campaign.id)?.status).toBe("cancelled");
    applyProviderState(ctx, { state: providerStates.campaignMissing, params: { campaignId: campaign.id } });
    expect(ctx.state.campaigns.has(campaign.id)).toBe(false);

    applyProviderState(ctx, { state: providerStates.creatorExists, params: { creatorId: creator.dobbletapId, handle: creator.handle } });
    expect(ctx.state.creators.get(creator.dobbletapId)?.handle).toBe(creator.handle);
    applyProviderState(ctx, { state: providerStates.creatorMissing, params: { creatorId: creator.dobbletapId } });
    expect(ctx.state.creators.has(creator.dobbletapId)).toBe(false);

    expect(applyProviderState(ctx, { state: providerStates.offerPending, params: { offerId: offer.id, status: "accepted" } })).toMatchObject({
      offerId: offer.id,
      status: "accepted",
    });
    expect(ctx.state.offers.get(offer.id)?.status).toBe("accepted");
    applyProviderState(ctx, { state: providerStates.offerMissing, params: { offerId: offer.id } });
    expect(ctx.state.offers.has(offer.id)).toBe(false);
    applyProviderState(ctx, { state: providerStates.offerExists, params: { ...offer } });
    expect(ctx.state.offers.get(offer.id)?.status).toBe("offered");

    applyProviderState(ctx, { state: providerStates.foreignSignature });
    expect(ctx.refuseNextSignature).toHaveBeenCalledTimes(1);
  });

  it("refuses a name that is not a contract state (the old aliases included), naming the known ones", () => {
    for (const state of ["creator wickhed7 exists", `campaign ${campaign.id} exists`, "an offer exists in status accepted", "the moon is full"]) {
      expect(() => applyProviderState(context(), { state, action: "setup" })).toThrow(ProviderStateError);
    }
    expect(() => applyProviderState(context(), { state: "the moon is full" })).toThrow(`Known states: ${providerStates.campaignExists}`);
  });

  it("refuses params of the wrong type with the field's name", () => {
    expect(() => applyProviderState(context(), { state: providerStates.campaignMissing, params: { campaignId: 7 } })).toThrow(
      "params.campaignId must be a string.",
    );
    expect(() => applyProviderState(context(), { state: providerStates.offerPending, params: { status: "lost" } })).toThrow(/params.status/);
  });
});
