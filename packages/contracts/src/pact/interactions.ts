import { endpoints, parties } from "../endpoints.js";
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
export const participants = { dttracker: parties.dttracker.name, dobbletap: parties.dobbletap.name } as const;

/** One interaction as written here; {@link contractInteractions} adds who sends and who answers. */
interface InteractionSpec {
  description: string;
  /** This interaction's own event id: no two interactions share one, so a receiver's dedup memory of one never answers another. */
  id: string;
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

const example = <E extends EventName>(event: E, id: string) => ({ ...structuredClone(events[event].example), id });

// One fixed event id per interaction (deterministic, so the pact files stay stable).
const eventId = (n: number) => `e7e47000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
const campaign = events.campaign_created.example.data.campaign;
const offer = events.offer_sent.example.data.offer;
const creator = events.creators_synced.example.data.creators[0]!;
const campaignState = { name: providerStates.campaignExists, params: { campaignId: campaign.id, creatorId: creator.dobbletapId } };
const creatorState = { name: providerStates.creatorExists, params: { creatorId: creator.dobbletapId, handle: creator.handle } };
const offerPendingState = {
  name: providerStates.offerPending,
  params: { offerId: offer.id, campaignId: offer.campaignId, creatorId: offer.creatorId },
};

function success(id: string, result: unknown, duplicate = false) {
  const body: Record<string, unknown> = { success: true, eventId: id, result };
  if (duplicate) body.duplicate = true;
  return { status: 200, body };
}

function failure(status: number, code: string, message: string, issues?: Array<{ path: string; message: string }>) {
  return { status, body: { success: false, error: { code, message, ...(issues ? { issues } : {}) } } };
}

/** The success interaction of every event: what the provider must do with the contract's example. */
const successes: Record<EventName, Omit<InteractionSpec, "event" | "path" | "body" | "contractValid">> = {
  campaign_created: {
    id: eventId(1),
    description: "campaign_created for a new campaign",
    states: [{ name: providerStates.campaignMissing, params: { campaignId: campaign.id } }],
    response: success(eventId(1), events.campaign_created.exampleResult),
  },
  activation_updated: {
    id: eventId(2),
    description: "activation_updated for a synced campaign",
    states: [campaignState],
    response: success(eventId(2), events.activation_updated.exampleResult),
  },
  activation_cancelled: {
    id: eventId(3),
    description: "activation_cancelled for one creator of a synced campaign",
    states: [campaignState, creatorState],
    response: success(eventId(3), events.activation_cancelled.exampleResult),
  },
  offer_sent: {
    id: eventId(4),
    description: "offer_sent to a known creator on a synced campaign",
    states: [campaignState, creatorState],
    response: success(eventId(4), events.offer_sent.exampleResult),
  },
  creators_synced: {
    id: eventId(5),
    description: "creators_synced with a batch of creators",
    states: [],
    response: success(eventId(5), events.creators_synced.exampleResult),
  },
  offer_accepted: {
    id: eventId(6),
    description: "offer_accepted for an offer awaiting the creator's answer",
    states: [offerPendingState],
    response: success(eventId(6), events.offer_accepted.exampleResult),
  },
  offer_declined: {
    id: eventId(7),
    description: "offer_declined for an offer awaiting the creator's answer",
    states: [offerPendingState],
    response: success(eventId(7), events.offer_declined.exampleResult),
  },
};

/** The failures that hurt in production, pinned as interactions. */
function failures(): InteractionSpec[] {
  const singleCreator = example("creators_synced", eventId(104)) as { data: { creators: unknown } };
  singleCreator.data.creators = creator;
  const unauthorized = failure(401, "UNAUTHORIZED", "No webhook-signature matches: the body was changed after signing, or it was signed with another secret.");
  return [
    {
      id: eventId(101),
      description: "offer_sent again with identical content under a new event id",
      states: [campaignState, creatorState, { name: providerStates.offerExists, params: { ...offer } }],
      event: "offer_sent",
      path: endpoints[events.offer_sent.endpoint].path,
      body: example("offer_sent", eventId(101)),
      contractValid: true,
      response: success(eventId(101), events.offer_sent.exampleResult, true),
    },
    {
      id: eventId(102),
      description: "offer_sent before its campaign was synced",
      states: [{ name: providerStates.campaignMissing, params: { campaignId: offer.campaignId } }, creatorState],
      event: "offer_sent",
      path: endpoints[events.offer_sent.endpoint].path,
      body: example("offer_sent", eventId(102)),
      contractValid: true,
      response: failure(404, "CAMPAIGN_NOT_FOUND", "Campaign is not known. Send campaign_created first, then retry this offer with the same id."),
    },
    {
      id: eventId(103),
      description: "offer_sent signed with a secret Dobbletap does not hold",
      states: [{ name: providerStates.foreignSignature }],
      event: "offer_sent",
      path: endpoints[events.offer_sent.endpoint].path,
      body: example("offer_sent", eventId(103)),
      contractValid: true,
      response: unauthorized,
    },
    {
      id: eventId(104),
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
      id: eventId(105),
      description: "offer_accepted for an offer DTTracker never sent",
      states: [{ name: providerStates.offerMissing, params: { offerId: offer.id } }],
      event: "offer_accepted",
      path: endpoints[events.offer_accepted.endpoint].path,
      body: example("offer_accepted", eventId(105)),
      contractValid: true,
      response: failure(404, "OFFER_NOT_FOUND", "Offer is not known. DTTracker only accepts answers to offers it sent."),
    },
    {
      id: eventId(106),
      description: "offer_accepted signed with a secret DTTracker does not hold",
      states: [{ name: providerStates.foreignSignature }],
      event: "offer_accepted",
      path: endpoints[events.offer_accepted.endpoint].path,
      body: example("offer_accepted", eventId(106)),
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
      body: example(event, successes[event].id),
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

/**
 * The event ids the pacts replay, one per interaction. A provider-state route forgets these (and
 * only these) in its dedup store, so a deployment can be verified again and again.
 *
 * @example
 * ```ts
 * for (const id of pactEventIds()) await db.query("delete from webhook_deliveries where id = $1", [id]);
 * ```
 */
export function pactEventIds(): string[] {
  return contractInteractions().map((interaction) => interaction.id);
}
