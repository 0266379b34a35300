/**
 * The DTTracker ↔ Dobbletap webhook contract (version {@link contractVersion}) as zod schemas.
 *
 * Every schema has two sides: its zod **input** is what a receiver accepts (e.g. a timestamp with a
 * `+00:00` offset), its zod **output** is what parsing yields and what a sender emits (the same
 * timestamp in `Z`). `buildJsonSchemas({ io })` in `./openapi` writes either side as JSON Schema.
 *
 * @packageDocumentation
 */
export { Brand, Campaign, clearableFields } from "./campaign.js";
export type { PascalCase } from "./define-event.js";
export { endpoints, parties, type EndpointId, type Party } from "./endpoints.js";
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
export { Creator, MAX_CREATORS_PER_EVENT } from "./events/creators-synced.js";
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
export { IsoDateTime, Money, Platform, Uuid, currencyCodes, text } from "./primitives.js";
export { pactEventIds } from "./pact/interactions.js";
export { providerStates, providerStatesOf, type ProviderStateKey, type ProviderStateName } from "./provider-states.js";
export { contractVersion } from "./version.js";
export { wireRules } from "./wire-rules.js";
