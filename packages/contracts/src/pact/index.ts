/**
 * Pact contract testing for the DTTracker ↔ Dobbletap webhooks: `@dttracker-dobbletap/contracts/pact`.
 * Needs the optional peer dependency `@pact-foundation/pact`.
 *
 * @packageDocumentation
 */
export { contractInteractions, pactEventIds, participants, type ContractInteraction } from "./interactions.js";
export { matchersFor } from "./matchers.js";
export { preflight, type PreflightOptions } from "./preflight.js";
export { renderJunit, renderTable } from "./render.js";
export { buildReport, headline, type InteractionOutcome, type PactVerifierJson, type ReportContext, type VerificationReport } from "./report.js";
export { createResigningFilter, type ResignOptions, type SignedRequestHeaders, type SignRequest } from "./resign.js";
export {
  runVerification,
  shippedPactDir,
  shippedPactFor,
  VerificationSetupError,
  verifyProvider,
  type BrokerOptions,
  type VerifyProviderOptions,
} from "./verify.js";
