/**
 * A mock of Dobbletap or DTTracker with the contract's rules, for tests and local development: real
 * state, an admin API under `/__mock/`, fault injection, Pact provider states, signed triggers.
 *
 * @example
 * ```ts
 * import { startMockServer } from "@dttracker-dobbletap/mock-server";
 *
 * const mock = await startMockServer({ as: "dttracker" });
 * // … point a sender at mock.url with mock.secret …
 * await mock.close();
 * ```
 *
 * @packageDocumentation
 */
export { startMockServer, defaultBase, defaultPort, type MockServerOptions, type RunningMockServer } from "./server.js";
export {
  MockState,
  DEFAULT_MAX_OFFERS,
  type AssignmentRecord,
  type Brand,
  type CampaignRecord,
  type CampaignStatus,
  type CreatorRecord,
  type Decision,
  type Evictions,
  type MockSeed,
  type MockStateOptions,
  type OfferRecord,
  type OfferStatus,
  type Outcome,
  type RecordKind,
  type StateCursor,
  type StatePage,
} from "./state.js";
export { demoSeed, parseSeed, readSeedFile, SeedError, SeedSchema, type MockParty } from "./seed.js";
export { FaultInjector, parseFaultConfig, FaultConfigError, type Fault, type FaultConfig } from "./faults.js";
export { applyProviderState, providerStateNames, ProviderStateError, type ProviderStateRequest } from "./provider-states.js";
export {
  trigger,
  exampleEnvelope,
  TriggerInputError,
  type TriggerOptions,
  type TriggerReport,
  type SignedRequest,
  type PrerequisiteReport,
} from "./trigger.js";
export {
  EventLog,
  formatLine,
  type ReceivedEvent,
  type EventFilter,
  type LoggedRequest,
  type LoggedResponse,
  type SignatureCheck,
} from "./log.js";
export { openPersistence, type MockPersistence, type PersistenceOptions } from "./persistence.js";
