import type { EndpointId } from "@dttracker-dobbletap/contracts";
import { createWebhookReceiver } from "./receiver.js";
import type { TransactionalWebhookHandlerOptions } from "./transactional.js";
import type { WebhookHandler, WebhookHandlerOptions } from "./types.js";

export { duplicateResult, type DuplicateResult } from "./duplicate-result.js";
export { createWebhookReceiver, type Delivery, type DeliveryAnswer, type WebhookReceiver } from "./receiver.js";
export { HandlerTimeoutError } from "./handler-timeout.js";
export type {
  TransactionalContext,
  TransactionalEventHandler,
  TransactionalWebhookHandlerOptions,
  TransactionalWebhookHandlers,
} from "./transactional.js";
export type {
  EventHandler,
  HandlerContext,
  HandlerResult,
  RequestOutcome,
  WebhookHandler,
  WebhookHandlerOptions,
  WebhookHandlers,
} from "./types.js";

/**
 * Builds a receiver for one contract endpoint as a Web-standard `(Request) => Promise<Response>`:
 * the `fetch` of {@link createWebhookReceiver}, which documents the checks and their order. It
 * never throws: every request gets a contract answer. On node:http, give the receiver itself to
 * `toNodeListener` (`@dttracker-dobbletap/sdk/node`): it skips the Web `Request`/`Response`.
 *
 * The handler runs at most `handlerTimeoutMs` (default 25 s; then 500 and the id is released). With
 * `transactional: true` and a transactional store, each handler gets `tx` and its writes commit
 * together with the remembered answer, or neither does.
 *
 * Throws at creation (not per request) for a malformed secret, a missing or foreign handler, or bad
 * options.
 *
 * @example
 * ```ts
 * const handle = createWebhookHandler({
 *   endpoint: "dttracker.webhooks",
 *   secrets: Deno.env.get("DOBBLETAP_WEBHOOK_SECRET")!,
 *   handlers: {
 *     offer_accepted: async ({ data }) => {
 *       if (!(await offers.accept(data.offerId))) throw new ContractError("OFFER_NOT_FOUND", `Offer ${data.offerId} is not known here.`);
 *       return { type: "offer", id: data.offerId, status: "accepted" };
 *     },
 *     offer_declined: async ({ data }) => ({ type: "offer", id: await offers.decline(data.offerId), status: "declined" }),
 *   },
 * });
 * Deno.serve(handle);
 * ```
 */
export function createWebhookHandler<P extends EndpointId, Tx>(options: TransactionalWebhookHandlerOptions<P, Tx>): WebhookHandler;
export function createWebhookHandler<P extends EndpointId>(options: WebhookHandlerOptions<P>): WebhookHandler;
export function createWebhookHandler(options: WebhookHandlerOptions<EndpointId> | TransactionalWebhookHandlerOptions<EndpointId, unknown>): WebhookHandler {
  return createWebhookReceiver(options as WebhookHandlerOptions<EndpointId>).fetch;
}
