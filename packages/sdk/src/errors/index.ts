export { ContractError, isContractError } from "./contract-error.js";
export { ContractViolationError, isContractViolationError } from "./contract-violation-error.js";
export { isSignatureError, SignatureError, type SignatureFailure } from "./signature-error.js";
export { isTransportError, TransportError } from "./transport-error.js";
export { isUnexpectedResponseError, UnexpectedResponseError } from "./unexpected-response-error.js";
export { isWebhookKitError, WebhookKitError, type DeliveryErrorCode } from "./webhook-kit-error.js";
