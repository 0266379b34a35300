import { Campaign, Creator, Offer, events, providerStates, type ProviderStateKey } from "@dttracker-dobbletap/contracts";
import type { MockState } from "./state.js";

/**
 * Pact's provider-state change protocol: before each interaction a verifier POSTs
 * `{ state, params, action: "setup" | "teardown" }` to a URL, and the provider makes that state true.
 * States are the contract's `providerStates`, matched by name (case-insensitive, nothing else):
 * what the shipped pacts use plus two more for hand-written tests. `params` may carry `campaignId`,
 * `creatorId`, `offerId`, `handle`, `status`, or a whole offer. Ids default to the contract
 * examples' ids, so the examples work with no params at all.
 */

/** What a state change may touch besides the store. */
export interface ProviderStateContext {
  state: MockState;
  /** Back to the seed (and forget delivered ids); what `teardown` does. */
  reset(): void;
  /**
   * The "signed with another secret" state. A verifying mock needs nothing (the verifier signs with a
   * foreign secret); with `--no-verify-signatures` the next delivery must still be refused with 401.
   */
  refuseNextSignature(): void;
}

/** A provider-state change request. */
export interface ProviderStateRequest {
  state: string;
  params?: Record<string, unknown>;
  action?: "setup" | "teardown";
}

/**
 * An unknown state or bad params; answered 400 with this message.
 *
 * @example
 * ```ts
 * try { applyProviderState(state, { state: "unknown", action: "setup" }); } catch (error) { if (error instanceof ProviderStateError) console.error(error.message); }
 * ```
 */
export class ProviderStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ProviderStateError";
  }
}

const exampleCampaign = () => Campaign.parse(events.campaign_created.example.data.campaign);
const exampleCreator = () => Creator.parse(events.creators_synced.example.data.creators[0]);
const exampleOffer = () => Offer.parse(events.offer_sent.example.data.offer);

type Params = Record<string, unknown>;
type Setup = (state: MockState, params: Params, context: ProviderStateContext) => Record<string, unknown>;

const str = (params: Params, key: string): string | undefined => {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ProviderStateError(`params.${key} must be a string.`);
  return value;
};

function ensureCampaign(state: MockState, params: Params, status: "active" | "cancelled" = "active") {
  const campaignId = str(params, "campaignId") ?? exampleCampaign().id;
  const known = state.campaigns.get(campaignId);
  if (!known) state.putCampaign({ ...exampleCampaign(), id: campaignId }, status);
  else known.status = status;
  // "exists" means it takes offers: lift earlier cancellations too.
  if (status === "active") state.reactivateCampaign(campaignId);
  return campaignId;
}

function ensureCreator(state: MockState, params: Params) {
  const creatorId = str(params, "creatorId");
  const wanted = str(params, "handle");
  for (const known of state.creators.values()) {
    if ((creatorId && known.dobbletapId === creatorId) || (!creatorId && wanted && known.handle === wanted)) {
      known.dttrackerId ??= state.id();
      return known.dobbletapId;
    }
  }
  const example = exampleCreator();
  const record = state.putCreator({
    ...example,
    dobbletapId: creatorId ?? (wanted && wanted !== example.handle ? state.id() : example.dobbletapId),
    handle: wanted ?? example.handle,
    dttrackerId: state.id(),
  });
  return record.dobbletapId;
}

const offerStatuses = ["offered", "accepted", "declined", "cancelled"] as const;

/** An offer in `params.status` (default `offered`); `params` may be the whole offer, which then exists as sent. */
const offerInStatus: Setup = (state, params) => {
  const status = (str(params, "status") ?? "offered").toLowerCase() as (typeof offerStatuses)[number];
  if (!offerStatuses.includes(status)) throw new ProviderStateError("params.status must be offered, accepted, declined or cancelled.");
  const whole = Offer.safeParse(params);
  const campaignId = ensureCampaign(state, params);
  const creatorId = ensureCreator(state, params);
  const offerId = str(params, "offerId") ?? (whole.success ? whole.data.id : exampleOffer().id);
  const offer = whole.success ? whole.data : { ...exampleOffer(), id: offerId, campaignId, creatorId };
  state.putOffer(offer, status as "offered");
  return { offerId, campaignId, creatorId, status };
};

/**
 * Every state of the contract, keyed as the contracts package keys them: a state renamed or added
 * there is a compile error here until the mock handles it.
 */
const setups: { [K in ProviderStateKey]: Setup } = {
  campaignExists: (state, params) => ({ campaignId: ensureCampaign(state, params) }),
  campaignMissing: (state, params) => {
    const campaignId = str(params, "campaignId") ?? exampleCampaign().id;
    state.removeCampaign(campaignId);
    return { campaignId };
  },
  campaignCancelled: (state, params) => {
    const campaignId = ensureCampaign(state, params, "cancelled");
    state.cancelOffers(campaignId);
    return { campaignId };
  },
  creatorExists: (state, params) => ({ creatorId: ensureCreator(state, params) }),
  creatorMissing: (state, params) => {
    const creatorId = str(params, "creatorId") ?? exampleCreator().dobbletapId;
    state.creators.delete(creatorId);
    return { creatorId };
  },
  offerExists: offerInStatus,
  offerPending: offerInStatus,
  offerMissing: (state, params) => {
    const offerId = str(params, "offerId") ?? exampleOffer().id;
    state.offers.delete(offerId);
    return { offerId };
  },
  foreignSignature: (_state, _params, context) => {
    context.refuseNextSignature();
    return {};
  },
};

// Pact names states in prose; a hand-written state-change call may differ in case.
const setupByName = new Map<string, Setup>((Object.keys(setups) as ProviderStateKey[]).map((key) => [providerStates[key].toLowerCase(), setups[key]]));

/**
 * The names of the known states (the contract's `providerStates`), for messages and the README.
 *
 * @example
 * ```ts
 * console.log(providerStateNames.join("\n"));
 * ```
 */
export const providerStateNames: readonly string[] = Object.values(providerStates);

/**
 * Applies one provider-state change. `setup` makes the state true on top of the current state;
 * `teardown` calls `reset` (back to the seed). Returns the values a verifier can inject into requests.
 * Throws {@link ProviderStateError} for an unknown state.
 *
 * @example
 * ```ts
 * const seed = demoSeed("dobbletap");
 * const state = new MockState(seed);
 * let refuseNext = false;
 * const context = { state, reset: () => state.load(seed), refuseNextSignature: () => { refuseNext = true; } };
 * applyProviderState(context, { state: providerStates.campaignMissing, action: "setup" });
 * ```
 */
export function applyProviderState(context: ProviderStateContext, body: unknown): Record<string, unknown> {
  const request = body as Partial<ProviderStateRequest> | null;
  if (typeof request !== "object" || request === null || (request.state != null && typeof request.state !== "string")) {
    throw new ProviderStateError('The body must be { "state": "<name>", "params": { … }, "action": "setup" | "teardown" }.');
  }
  const { params = {}, action = "setup" } = request;
  if (action !== "setup" && action !== "teardown") throw new ProviderStateError('action must be "setup" or "teardown".');
  if (typeof params !== "object" || params === null) throw new ProviderStateError("params must be an object.");
  const trimmed = (request.state ?? "").trim();
  // An interaction with no state: Pact's standalone verifier still calls, with an empty name.
  if (trimmed === "") {
    if (action === "teardown") context.reset();
    return {};
  }
  const setup = setupByName.get(trimmed.toLowerCase());
  if (setup) {
    if (action === "teardown") {
      context.reset();
      return {};
    }
    return setup(context.state, params as Params, context);
  }
  throw new ProviderStateError(`Unknown provider state "${trimmed.slice(0, 100)}". Known states: ${providerStateNames.join("; ")}.`);
}
