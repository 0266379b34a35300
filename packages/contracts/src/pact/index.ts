/**
 * Pact contract testing for the DTTracker ↔ Dobbletap webhooks: `@dttracker-dobbletap/contracts/pact`.
 * Needs the optional peer dependency `@pact-foundation/pact`.
 *
 * @packageDocumentation
 */
export { contractInteractions, pactEventIds, participants, type ContractInteraction } from "./interactions.js";
export { matchersFor } from "./matchers.js";
export { createResigningFilter, type ResignOptions } from "./resign.js";
export { shippedPactDir, shippedPactFor, verifyProvider, type BrokerOptions, type VerifyProviderOptions } from "./verify.js";
