import { Campaign, Creator, Offer, events, providerStates } from "@dttracker-dobbletap/contracts";
import type { MockState } from "./state.js";

/**
 * Pact's provider-state change protocol: before each interaction a verifier POSTs
 * `{ state, params, action: "setup" | "teardown" }` to a URL, and the provider makes that state true.
 * States are matched by name (case-insensitive): the contract's `providerStates` (what the shipped
 * pacts use) and a few readable aliases. `params` may carry `campaignId`, `creatorId`, `offerId`,
 * `handle`, `status`, or a whole offer. Ids default to the contract examples' ids, so the examples
 * work with no params at all.
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
type Setup = (state: MockState, params: Params, match: RegExpMatchArray, context: ProviderStateContext) => Record<string, unknown>;
const exact = (name: string) => new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "i");

const str = (params: Params, key: string): string | undefined => {
  const value = params[key];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ProviderStateError(`params.${key} must be a string.`);
  return value;
};

function ensureCampaign(state: MockState, params: Params, id?: string, status: "active" | "cancelled" = "active") {
  const campaignId = id ?? str(params, "campaignId") ?? exampleCampaign().id;
  const known = state.campaigns.get(campaignId);
  if (!known) state.putCampaign({ ...exampleCampaign(), id: campaignId }, status);
  else known.status = status;
  // "exists" means it takes offers: lift earlier cancellations too.
  if (status === "active") state.reactivateCampaign(campaignId);
  return campaignId;
}

function ensureCreator(state: MockState, params: Params, handle?: string) {
  const creatorId = str(params, "creatorId");
  const wanted = handle ?? str(params, "handle");
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

/** The states this mock knows; the first pattern that matches the state's name wins. */
const STATES: { pattern: RegExp; name: string; setup: Setup }[] = [
  {
    name: "a campaign exists | campaign <id> exists",
    pattern: /^(?:an? (?:active )?campaign exists|campaign ([0-9a-f-]{36}) exists)$/i, // providerStates.campaignExists
    setup: (state, params, match) => ({ campaignId: ensureCampaign(state, params, match[1]) }),
  },
  {
    name: "no campaign exists",
    pattern: /^(?:no campaign exists|the campaign (?:is unknown|does not exist)|campaign ([0-9a-f-]{36}) does not exist)$/i,
    setup: (state, params, match) => {
      const campaignId = match[1] ?? str(params, "campaignId") ?? exampleCampaign().id;
      state.removeCampaign(campaignId);
      return { campaignId };
    },
  },
  {
    name: "a cancelled campaign",
    pattern: /^(?:a cancelled campaign(?: exists)?|the campaign is cancelled|campaign ([0-9a-f-]{36}) is cancelled)$/i,
    setup: (state, params, match) => {
      const campaignId = ensureCampaign(state, params, match[1], "cancelled");
      state.cancelOffers(campaignId);
      return { campaignId };
    },
  },
  {
    name: "creator <handle> exists | a creator exists",
    pattern: /^(?:creator @?([A-Za-z0-9._]+) exists|a creator exists)$/i,
    setup: (state, params, match) => ({ creatorId: ensureCreator(state, params, match[1]) }),
  },
  {
    name: "no creator exists",
    pattern: /^(?:no creator exists|the creator is unknown)$/i,
    setup: (state, params) => {
      const creatorId = str(params, "creatorId") ?? exampleCreator().dobbletapId;
      state.creators.delete(creatorId);
      return { creatorId };
    },
  },
  {
    name: `an offer exists [in status offered|accepted|declined|cancelled] | ${providerStates.offerPending}`,
    pattern: new RegExp(
      `^(?:an offer exists(?: in status (offered|accepted|declined|cancelled))?|${exact(providerStates.offerPending).source.slice(1, -1)})$`,
      "i",
    ),
    setup: (state, params, match) => {
      const status = (match[1] ?? str(params, "status") ?? "offered").toLowerCase();
      if (!["offered", "accepted", "declined", "cancelled"].includes(status)) {
        throw new ProviderStateError("params.status must be offered, accepted, declined or cancelled.");
      }
      // params may be the whole offer (the pacts' "an offer exists"): that exact content then exists.
      const whole = Offer.safeParse(params);
      const campaignId = ensureCampaign(state, params);
      const creatorId = ensureCreator(state, params);
      const offerId = str(params, "offerId") ?? (whole.success ? whole.data.id : exampleOffer().id);
      const offer = whole.success ? whole.data : { ...exampleOffer(), id: offerId, campaignId, creatorId };
      state.putOffer(offer, status as "offered");
      return { offerId, campaignId, creatorId, status };
    },
  },
  {
    name: "no offer exists",
    pattern: /^(?:no offer exists|the offer is unknown)$/i,
    setup: (state, params) => {
      const offerId = str(params, "offerId") ?? exampleOffer().id;
      state.offers.delete(offerId);
      return { offerId };
    },
  },
  {
    name: providerStates.foreignSignature,
    pattern: exact(providerStates.foreignSignature),
    setup: (_state, _params, _match, context) => {
      context.refuseNextSignature();
      return {};
    },
  },
];

/**
 * The names of the known states, for messages and the README.
 *
 * @example
 * ```ts
 * console.log(providerStateNames.join("\n"));
 * ```
 */
export const providerStateNames: readonly string[] = STATES.map((entry) => entry.name);

/**
 * Applies one provider-state change. `setup` makes the state true on top of the current state;
 * `teardown` calls `reset` (back to the seed). Returns the values a verifier can inject into requests.
 * Throws {@link ProviderStateError} for an unknown state.
 *
 * @example
 * ```ts
 * applyProviderState({ state, reset, refuseNextSignature }, { state: "no campaign exists", action: "setup" });
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
  for (const entry of STATES) {
    const match = trimmed.match(entry.pattern);
    if (!match) continue;
    if (action === "teardown") {
      context.reset();
      return {};
    }
    return entry.setup(context.state, params as Params, match, context);
  }
  throw new ProviderStateError(
    `Unknown provider state "${trimmed.slice(0, 100)}". Known states: ${providerStateNames.join("; ")}.`,
  );
}
