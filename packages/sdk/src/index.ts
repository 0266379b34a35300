/**
 * Typed senders and a verifying receiver for the DTTracker ↔ Dobbletap webhooks.
 * Runtime-neutral (Web `Request`/`Response`, Web Crypto or node:crypto): Node ≥ 20 and Deno.
 *
 * @packageDocumentation
 */
export { createClient, createDobbletapClient, createDttrackerClient } from "./client/create-client.js";
export type {
  AttemptHooks,
  CamelCase,
  ClientOptions,
  DeliveryHooks,
  DobbletapClient,
  DttrackerClient,
  PartialFailure,
  PartyClient,
  SendFailure,
  SendFailureError,
  SendOptions,
  SendResult,
  SendSuccess,
  SyncError,
  SyncErrorCode,
  SyncStatus,
} from "./client/types.js";
export { judgeAnswer, type AnswerJudgement, type AnswerToJudge } from "./client/judge-answer.js";
export { MAX_ANSWER_BYTES } from "./client/read-answer.js";
export { defaultRetryPolicy, isRetryableFailure, isRetryableStatus, parseRetryAfter, type RetryPolicy } from "./client/retry.js";
export {
  createMemoryRetryQueue,
  type DrainReport,
  type MemoryRetryQueue,
  type QueuedDelivery,
  type ResendingClient,
  type RetryQueue,
} from "./client/retry-queue.js";
export {
  ContractError,
  InvalidAnswerError,
  isContractError,
  isInvalidAnswerError,
  isRemoteError,
  isRequestValidationError,
  isSignatureError,
  isTransportError,
  isUnexpectedResponseError,
  isWebhookKitError,
  RemoteError,
  RequestValidationError,
  SignatureError,
  TransportError,
  UnexpectedResponseError,
  WebhookKitError,
  type DeliveryErrorCode,
  type SignatureFailure,
} from "./errors/index.js";
export {
  createWebhookHandler,
  createWebhookReceiver,
  duplicateResult,
  HandlerTimeoutError,
  type Delivery,
  type DeliveryAnswer,
  type DuplicateResult,
  type EventHandler,
  type HandlerContext,
  type HandlerResult,
  type RequestOutcome,
  type TransactionalContext,
  type TransactionalEventHandler,
  type TransactionalWebhookHandlerOptions,
  type TransactionalWebhookHandlers,
  type WebhookHandler,
  type WebhookHandlerOptions,
  type WebhookHandlers,
  type WebhookReceiver,
} from "./receiver/create-webhook-handler.js";
export {
  createProviderStates,
  type ProviderStateCall,
  type ProviderStateHandler,
  type ProviderStateHandlers,
  type ProviderStateKey,
  type ProviderStatesOptions,
  type ProviderStatesRoute,
} from "./provider-states/create-provider-states.js";
export type { Claim, ClaimOptions, DedupLease, DedupStore, StoredAnswer } from "./receiver/dedup-store.js";
export { readCappedBody } from "./receiver/read-body.js";
export {
  createMemoryDedupStore,
  MEMORY_DEDUP_MAX_ENTRIES,
  type MemoryDedupStore,
  type MemoryDedupStoreOptions,
} from "./receiver/memory-dedup-store.js";
export {
  createSigner,
  createVerifier,
  generateKeyPair,
  generateSecret,
  type CryptoOptions,
  headerOf,
  type HeadersLike,
  type KeyPair,
  type HmacBackend,
  type SignedHeaders,
  type VerifiedDelivery,
  type VerifyOptions,
  type WebhookSigner,
  type WebhookVerifier,
} from "./signing/index.js";
