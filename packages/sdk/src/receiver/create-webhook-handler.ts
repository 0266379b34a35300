import type { EventName } from "@dttracker-dobbletap/contracts";
import { createReceiver, type WebhookReceiver } from "./receive.js";
import type { TransactionalWebhookHandlerOptions } from "./transactional.js";
import type { WebhookHandler, WebhookHandlerOptions } from "./types.js";

export { duplicateResult, type DuplicateResult } from "./duplicate-result.js";
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

// Symbol.for, so an adapter from another copy of the SDK still finds the core.
const CORE = Symbol.for("@dttracker-dobbletap/sdk/receiver-core");

/**
 * Builds a receiver for the contract's events: a Web-standard `(Request) => Promise<Response>`.
 * It checks, in this order, the method (405), the size (413, Content-Length first, then a running
 * cap while reading), the content type (415), the bearer token if configured and the Standard
 * Webhooks signature on the raw bytes (401), the JSON (400), the envelope against the contract
 * (422 `VALIDATION_FAILED` / `UNKNOWN_EVENT`), that `webhook-id` equals the envelope `id` (422), and
 * whether the id already succeeded (200 with the first answer and `duplicate: true`). It then claims
 * the id in the dedup store (a concurrent copy waits for the first's answer, bounded by
 * `duplicateWaitMs`, else 500 `INTERNAL` with `Retry-After`), and only then it
 * calls your typed handler, checks what it returns against the event's success answer and answers
 * 200, or the code of a thrown `ContractError`, or a generic 500. It never throws: every request
 * gets a contract answer.
 *
 * The handler runs at most `handlerTimeoutMs` (default 25 s; then 500 and the id is released). With
 * `transactional: true` and a transactional store, each handler gets `tx` and its writes commit
 * together with the remembered answer, or neither does.
 *
 * Throws at creation (not per request) for a malformed secret, an unknown event name or bad options.
 *
 * @example
 * ```ts
 * const handle = createWebhookHandler({
 *   secrets: Deno.env.get("DTTRACKER_WEBHOOK_SECRET")!,
 *   handlers: {
 *     offer_sent: async ({ data: { offer } }) => {
 *       if (!(await campaigns.has(offer.campaignId)))
 *         throw new ContractError("CAMPAIGN_NOT_FOUND", `Campaign ${offer.campaignId} is not known here. Send campaign_created first.`);
 *       return { type: "offer", id: await offers.create(offer), status: "offered" };
 *     },
 *   },
 * });
 * Deno.serve(handle);
 * ```
 */
export function createWebhookHandler<E extends EventName, Tx>(options: TransactionalWebhookHandlerOptions<E, Tx>): WebhookHandler;
export function createWebhookHandler<E extends EventName>(options: WebhookHandlerOptions<E>): WebhookHandler;
export function createWebhookHandler<E extends EventName>(
  options: WebhookHandlerOptions<E> | TransactionalWebhookHandlerOptions<E, unknown>,
): WebhookHandler {
  const receiver = createReceiver(options as WebhookHandlerOptions<E>);
  const handle: WebhookHandler = async (request) => {
    const answer = await receiver.receive({
      method: request.method,
      headers: request.headers,
      body: request.body,
      request,
    });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
  // Lets the node:http adapter call the core directly, skipping Web Request/Response construction.
  Object.defineProperty(handle, CORE, { value: receiver });
  return handle;
}

/**
 * The receiver core behind a handler made by {@link createWebhookHandler}; `undefined` for any
 * other function. Used by runtime adapters to skip the Web `Request`/`Response` round trip.
 *
 * @example
 * ```ts
 * const core = receiverOf(handle);
 * const answer = core ? await core.receive({ method, headers, body, request }) : undefined;
 * ```
 */
export function receiverOf(handle: WebhookHandler): WebhookReceiver | undefined {
  return (handle as { [CORE]?: WebhookReceiver })[CORE];
}
