/**
 * The DTTracker ↔ Dobbletap webhook contract, v1, as zod schemas.
 *
 * @packageDocumentation
 */
export { Brand, Campaign } from "./campaign.js";
export type { PascalCase } from "./define-event.js";
export { endpoints, type EndpointId, type Party } from "./endpoints.js";
export {
  ErrorAnswer,
  ErrorCodeSchema,
  ErrorDetail,
  Issue,
  MAX_BODY_BYTES,
  errorAnswer,
  errorCodeList,
  errorCodes,
  statusOf,
  type ErrorCode,
} from "./errors.js";
export { Creator } from "./events/creators-synced.js";
export { Offer } from "./events/offer-sent.js";
export {
  eventNames,
  events,
  eventsAt,
  eventsTo,
  isEventName,
  type EventData,
  type EventDataInput,
  type EventEnvelope,
  type EventName,
  type EventResult,
  type Events,
  type EventsAt,
  type EventsTo,
  type SuccessAnswer,
} from "./events/index.js";
export {
  parseErrorAnswer,
  parseEvent,
  parseEventData,
  parseEventJson,
  parseSuccessAnswer,
  toIssues,
  type ParseFailure,
  type ParseOptions,
  type ParseResult,
} from "./parse.js";
export { IsoDateTime, Money, Platform, Uuid, text } from "./primitives.js";
export { pactEventIds } from "./pact/interactions.js";
export { providerStates, providerStatesOf, type ProviderStateKey, type ProviderStateName } from "./provider-states.js";
