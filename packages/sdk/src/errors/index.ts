export { ContractError, isContractError } from "./contract-error.js";
export { InvalidAnswerError, isInvalidAnswerError } from "./invalid-answer-error.js";
export { isRemoteError, RemoteError } from "./remote-error.js";
export { isRequestValidationError, RequestValidationError } from "./request-validation-error.js";
export { isSignatureError, SignatureError, type SignatureFailure } from "./signature-error.js";
export { isTransportError, TransportError } from "./transport-error.js";
export { isUnexpectedResponseError, UnexpectedResponseError } from "./unexpected-response-error.js";
export { isWebhookKitError, WebhookKitError, type DeliveryErrorCode } from "./webhook-kit-error.js";
