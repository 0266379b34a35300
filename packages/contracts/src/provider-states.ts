/**
 * The provider states the pacts use: what a provider must set up before an interaction is replayed
 * (Pact's provider-state change protocol posts `{ state, params, action: "setup" | "teardown" }`).
 * A real deployment's state-change endpoint implements those its party's pact uses
 * ({@link providerStatesOf}); the mock server implements all of them.
 *
 * @example
 * ```ts
 * if (state === providerStates.campaignMissing) await campaigns.delete(params.campaignId);
 * ```
 */
export const providerStates = {
  /** params `{ campaignId, creatorId }`: an active campaign exists (with the creator's assignment open). */
  campaignExists: "a campaign exists",
  /** params `{ campaignId }`: the campaign was never synced (the offer-before-campaign failure). */
  campaignMissing: "no campaign exists",
  /** params `{ creatorId, handle }`: Dobbletap knows this creator. */
  creatorExists: "a creator exists",
  /** params: the whole `offer` of an `offer_sent`; that offer already exists with identical content. */
  offerExists: "an offer exists",
  /** params `{ offerId, campaignId, creatorId }`: DTTracker sent this offer and it is `offered`. */
  offerPending: "an offer is awaiting the creator's answer",
  /** params `{ offerId }`: the provider has never seen this offer. */
  offerMissing: "no offer exists",
  /**
   * No params: the replayed request is signed with a secret the provider does not hold. A verifier
   * re-signs with another secret; a receiver that cannot check signatures in a test setup (the mock
   * server's `--no-verify-signatures`) must answer the next delivery 401 as a verifying one would.
   */
  foreignSignature: "the request is signed with another secret",
  /** params `{ campaignId }`: the campaign exists and is cancelled (takes no offers). No pact uses it; the mock server does. */
  campaignCancelled: "a cancelled campaign exists",
  /** params `{ creatorId }`: Dobbletap does not know this creator. No pact uses it; the mock server does. */
  creatorMissing: "no creator exists",
} as const;

/** One provider state name. */
export type ProviderStateName = (typeof providerStates)[keyof typeof providerStates];

/** A key of {@link providerStates}: `campaignMissing`, `offerPending`, … */
export type ProviderStateKey = keyof typeof providerStates;

/**
 * Which states each party's pact uses, by key: what that party's provider-state route must handle.
 * (A test checks this against the interactions, so it cannot drift.)
 *
 * @example
 * ```ts
 * for (const key of providerStatesOf.dobbletap) console.log(providerStates[key]);
 * ```
 */
export const providerStatesOf = {
  dobbletap: ["campaignExists", "campaignMissing", "creatorExists", "offerExists", "foreignSignature"],
  dttracker: ["offerPending", "offerMissing", "foreignSignature"],
} as const satisfies Record<"dobbletap" | "dttracker", readonly ProviderStateKey[]>;
