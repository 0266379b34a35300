import { endpoints } from "../endpoints.js";
import { MAX_CREATORS_PER_EVENT } from "../events/creators-synced.js";
import { events, type EventName } from "../events/index.js";
import { providerStates } from "../provider-states.js";

/**
 * The Pact participant names, as the pact files are named (`DTTracker-Dobbletap.json`).
 *
 * @example
 * ```ts
 * new PactV4({ consumer: participants.dttracker, provider: participants.dobbletap });
 * ```
 */
export const participants = { dttracker: "DTTracker", dobbletap: "Dobbletap" } as const;

/** One interaction as written here; {@link contractInteractions} adds who sends and who answers. */
interface InteractionSpec {
  description: string;
  states: Array<{ name: string; params?: Record<string, unknown> }>;
  event: EventName;
  /** The endpoint path, relative to the provider's base URL. */
  path: string;
  /** The request body; `events[event].example` unless the interaction breaks it on purpose. */
  body: unknown;
  /** False when the body breaks the contract on purpose (the SDK refuses to send it). */
  contractValid: boolean;
  response: { status: number; body: Record<string, unknown> };
}

/** One interaction of a pact: a request its consumer sends and the answer the provider owes. */
export interface ContractInteraction extends InteractionSpec {
  /** The sending party's Pact name, e.g. `DTTracker`. */
  consumer: string;
  /** The receiving party's Pact name, e.g. `Dobbletap`. */
  provider: string;
}

// Fixed, obviously-example ids for the records a provider answers with.
const recordIds = {
  campaign: "0c0ffee0-0000-4000-8000-000000000001",
  offer: "0c0ffee0-0000-4000-8000-000000000002",
  assignment: "0c0ffee0-0000-4000-8000-000000000003",
  creator: "0c0ffee0-0000-4000-8000-000000000004",
};

const example = <E extends EventName>(event: E) => structuredClone(events[event].example);
const campaign = events.campaign_created.example.data.campaign;
const offer = events.offer_sent.example.data.offer;
const creator = events.creators_synced.example.data.creators[0]!;
const campaignState = { name: providerStates.campaignExists, params: { campaignId: campaign.id, creatorId: creator.dobbletapId } };
const creatorState = { name: providerStates.creatorExists, params: { creatorId: creator.dobbletapId, handle: creator.handle } };
const offerPendingState = {
  name: providerStates.offerPending,
  params: { offerId: offer.id, campaignId: offer.campaignId, creatorId: offer.creatorId },
};

function success(event: EventName, result: Record<string, unknown>, duplicate = false) {
  const body: Record<string, unknown> = { success: true, eventId: events[event].example.id, result };
  if (duplicate) body.duplicate = true;
  return { status: 200, body };
}

function failure(status: number, code: string, message: string, issues?: Array<{ path: string; message: string }>) {
  return { status, body: { success: false, error: { code, message, ...(issues ? { issues } : {}) } } };
}

/** The success interaction of every event: what the provider must do with the contract's example. */
const successes: Record<EventName, Omit<InteractionSpec, "event" | "path" | "body" | "contractValid">> = {
  campaign_created: {
    description: "campaign_created for a new campaign",
    states: [{ name: providerStates.campaignMissing, params: { campaignId: campaign.id } }],
    response: success("campaign_created", { type: "campaign", id: recordIds.campaign, status: "active" }),
  },
  activation_updated: {
    description: "activation_updated for a synced campaign",
    states: [campaignState],
    response: success("activation_updated", { type: "campaign", id: recordIds.campaign, status: "active" }),
  },
  activation_cancelled: {
    description: "activation_cancelled for one creator of a synced campaign",
    states: [campaignState, creatorState],
    response: success("activation_cancelled", { type: "assignment", id: recordIds.assignment, status: "cancelled" }),
  },
  offer_sent: {
    description: "offer_sent to a known creator on a synced campaign",
    states: [campaignState, creatorState],
    response: success("offer_sent", { type: "offer", id: recordIds.offer, status: "offered" }),
  },
  creators_synced: {
    description: "creators_synced with a batch of creators",
    states: [],
    response: success("creators_synced", {
      synced: [{ dobbletapId: creator.dobbletapId, dttrackerId: recordIds.creator }],
      failed: [],
    }),
  },
  offer_accepted: {
    description: "offer_accepted for an offer awaiting the creator's answer",
    states: [offerPendingState],
    response: success("offer_accepted", { type: "offer", id: recordIds.offer, status: "accepted" }),
  },
  offer_declined: {
    description: "offer_declined for an offer awaiting the creator's answer",
    states: [offerPendingState],
    response: success("offer_declined", { type: "offer", id: recordIds.offer, status: "declined" }),
  },
};

/** The failures that hurt in production, pinned as interactions. */
function failures(): InteractionSpec[] {
  const singleCreator = example("creators_synced") as { data: { creators: unknown } };
  singleCreator.data.creators = creator;
  const unauthorized = failure(
    401,
    "UNAUTHORIZED",
    "No webhook-signature matches: the body was changed after signing, or it was signed with another secret.",
  );
  return [
    {
      description: "offer_sent again with identical content under a new event id",
      states: [campaignState, creatorState, { name: providerStates.offerExists, params: { ...offer } }],
      event: "offer_sent",
      path: endpoints[events.offer_sent.endpoint].path,
      body: example("offer_sent"),
      contractValid: true,
      response: success("offer_sent", { type: "offer", id: recordIds.offer, status: "offered" }, true),
    },
    {
      description: "offer_sent before its campaign was synced",
      states: [{ name: providerStates.campaignMissing, params: { campaignId: offer.campaignId } }, creatorState],
      event: "offer_sent",
      path: endpoints[events.offer_sent.endpoint].path,
      body: example("offer_sent"),
      contractValid: true,
      response: failure(
        404,
        "CAMPAIGN_NOT_FOUND",
        "Campaign is not known. Send campaign_created first, then retry this offer with the same id.",
      ),
    },
    {
      description: "offer_sent signed with a secret Dobbletap does not hold",
      states: [{ name: providerStates.foreignSignature }],
      event: "offer_sent",
      path: endpoints[events.offer_sent.endpoint].path,
      body: example("offer_sent"),
      contractValid: true,
      response: unauthorized,
    },
    {
      description: "creators_synced with a single creator object instead of creators[]",
      states: [],
      event: "creators_synced",
      path: endpoints[events.creators_synced.endpoint].path,
      body: singleCreator,
      contractValid: false,
      response: failure(422, "VALIDATION_FAILED", "The creators_synced event does not match the contract.", [
        { path: "data.creators", message: `must be an array creators[] (1 to ${MAX_CREATORS_PER_EVENT}), not a single creator object` },
      ]),
    },
    {
      description: "offer_accepted for an offer DTTracker never sent",
      states: [{ name: providerStates.offerMissing, params: { offerId: offer.id } }],
      event: "offer_accepted",
      path: endpoints[events.offer_accepted.endpoint].path,
      body: example("offer_accepted"),
      contractValid: true,
      response: failure(404, "OFFER_NOT_FOUND", "Offer is not known. DTTracker only accepts answers to offers it sent."),
    },
    {
      description: "offer_accepted signed with a secret DTTracker does not hold",
      states: [{ name: providerStates.foreignSignature }],
      event: "offer_accepted",
      path: endpoints[events.offer_accepted.endpoint].path,
      body: example("offer_accepted"),
      contractValid: true,
      response: unauthorized,
    },
  ];
}

/**
 * Every interaction of both pacts, derived from the event map: each event's success, then the
 * failures. `consumer` is the sending party, `provider` the receiving one.
 *
 * @example
 * ```ts
 * for (const interaction of contractInteractions()) console.log(interaction.consumer, "→", interaction.provider, interaction.description);
 * ```
 */
export function contractInteractions(): ContractInteraction[] {
  const all: InteractionSpec[] = [
    ...(Object.keys(successes) as EventName[]).map((event) => ({
      ...successes[event],
      event,
      path: endpoints[events[event].endpoint].path,
      body: example(event),
      contractValid: true,
    })),
    ...failures(),
  ];
  return all.map((interaction) => {
    const receiver = endpoints[events[interaction.event].endpoint].receiver;
    const sender = receiver === "dobbletap" ? "dttracker" : "dobbletap";
    return { ...interaction, consumer: participants[sender], provider: participants[receiver] };
  });
}
