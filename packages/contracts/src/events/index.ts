import type * as z from "zod";
import { endpoints, type EndpointId, type Party } from "../endpoints.js";
import { activationCancelled } from "./activation-cancelled.js";
import { activationUpdated } from "./activation-updated.js";
import { campaignCreated } from "./campaign-created.js";
import { creatorsSynced } from "./creators-synced.js";
import { offerAccepted } from "./offer-accepted.js";
import { offerDeclined } from "./offer-declined.js";
import { offerSent } from "./offer-sent.js";

/**
 * THE list of events. Everything else is derived from it: the OpenAPI documents, the typed client
 * methods, the receiver's handler map, the mock server's routes and the Pact interactions.
 * Adding an event means one new module in this folder and one line here.
 *
 * @example
 * ```ts
 * const { data, envelope, example, endpoint } = events.offer_sent;
 * ```
 */
export const events = {
  campaign_created: campaignCreated,
  activation_updated: activationUpdated,
  activation_cancelled: activationCancelled,
  offer_sent: offerSent,
  creators_synced: creatorsSynced,
  offer_accepted: offerAccepted,
  offer_declined: offerDeclined,
} as const;

/** The event map's type: event name → its definition (schemas, endpoint, example). */
export type Events = typeof events;
/** Any event name, e.g. `"offer_sent"`. */
export type EventName = keyof Events;
/** The `data` of an event after validation. */
export type EventData<E extends EventName> = z.output<Events[E]["data"]>;
/** The `data` a sender passes for an event. */
export type EventDataInput<E extends EventName> = z.input<Events[E]["data"]>;
/** A whole validated envelope; a union over `E`, discriminated by `event`. */
export type EventEnvelope<E extends EventName = EventName> = { [K in E]: z.output<Events[K]["envelope"]> }[E];
/** What a receiver answers in `result` for an event. */
export type EventResult<E extends EventName> = z.output<Events[E]["result"]>;
/** The whole success answer body for an event. */
export type SuccessAnswer<E extends EventName> = z.output<Events[E]["successAnswer"]>;
/** The events one endpoint accepts. */
export type EventsAt<P extends EndpointId> = { [K in EventName]: Events[K]["endpoint"] extends P ? K : never }[EventName];
/** The events a party receives (across its endpoints). */
export type EventsTo<R extends Party> = {
  [K in EventName]: (typeof endpoints)[Events[K]["endpoint"]]["receiver"] extends R ? K : never;
}[EventName];

/**
 * Every event name, in the order of the list.
 *
 * @example
 * ```ts
 * eventNames.length; // 7
 * ```
 */
export const eventNames = Object.keys(events) as EventName[];

/**
 * True when `name` is one of the contract's seven events.
 *
 * @example
 * ```ts
 * const name: unknown = JSON.parse(rawBody).event;
 * if (isEventName(name)) console.log(events[name].summary);
 * ```
 */
export function isEventName(name: unknown): name is EventName {
  return typeof name === "string" && Object.hasOwn(events, name);
}

/**
 * The events one endpoint accepts, e.g. `eventsAt("dttracker.webhooks")`.
 *
 * @example
 * ```ts
 * eventsAt("dttracker.webhooks"); // ["offer_accepted", "offer_declined"]
 * ```
 */
export function eventsAt<P extends EndpointId>(endpoint: P): EventsAt<P>[] {
  return eventNames.filter((name) => events[name].endpoint === endpoint) as EventsAt<P>[];
}

/**
 * The events a party receives, e.g. `eventsTo("dobbletap")`.
 *
 * @example
 * ```ts
 * eventsTo("dobbletap"); // campaign_created, activation_updated, activation_cancelled, offer_sent
 * ```
 */
export function eventsTo<R extends Party>(party: R): EventsTo<R>[] {
  return eventNames.filter((name) => endpoints[events[name].endpoint].receiver === party) as EventsTo<R>[];
}
