import type { EndpointId } from "@dttracker-dobbletap/contracts";
import type { HeadersLike } from "../signing/index.js";
import { headersOf, INTERNAL, type Answer } from "./answers.js";
import { check } from "./checks.js";
import { deliver } from "./deliver.js";
import { createReceiverState, type AnyOptions, type ReceiverState } from "./receiver-state.js";
import { report } from "./report.js";
import type { TransactionalWebhookHandlerOptions } from "./transactional.js";
import type { RequestOutcome, WebhookHandlerOptions } from "./types.js";

/**
 * One delivery as a runtime adapter hands it to {@link WebhookReceiver.receive}: raw bytes and
 * headers, no Web `Request` needed.
 *
 * @example
 * ```ts
 * const delivery: Delivery = { method: "POST", headers: req.headers, body: rawBytes, request: (body) => new Request(url, { method: "POST", headers, body }) };
 * ```
 */
export interface Delivery {
  method: string;
  /** A `Headers` object or node's lower-case header record. */
  headers: HeadersLike;
  /**
   * The raw body: bytes already read, a stream (read here with a running cap), or a function that
   * reads at most `limit` bytes and resolves `undefined` when there are more.
   */
  body: Uint8Array | ReadableStream<Uint8Array> | null | ((limit: number) => Promise<Uint8Array | undefined>);
  /**
   * What handlers see as `context.request`, built only if a handler reads it: the original Web
   * `Request` (handlers get a copy of it carrying the verified bytes, since its own body has been
   * read), or a function that builds one with the verified bytes as its body.
   */
  request: Request | ((body: Uint8Array<ArrayBuffer>) => Request);
}

/**
 * The answer to one delivery: status, headers and the JSON text of the body, ready to be written.
 *
 * @example
 * ```ts
 * const { status, headers, body } = await receiver.receive(delivery);
 * res.writeHead(status, headers).end(body);
 * ```
 */
export interface DeliveryAnswer {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/**
 * A receiver for one contract endpoint: the contract's checks in order, dedup and the typed
 * handlers, from raw bytes and headers to an answer. It never throws and never rejects: every
 * delivery gets a contract answer.
 *
 * @example
 * ```ts
 * const receiver = createWebhookReceiver({ endpoint: "dttracker.webhooks", secrets, handlers });
 * Deno.serve(receiver.fetch); // Web Request → Response
 * // node:http: createServer(toNodeListener(receiver)), from @dttracker-dobbletap/sdk/node
 * ```
 */
export interface WebhookReceiver {
  /** Raw bytes and headers → the answer to write. What runtime adapters (and `fetch`) call. */
  receive(delivery: Delivery): Promise<DeliveryAnswer>;
  /** The same, as a Web-standard handler: `Request` → `Response`. A bound function: pass it around alone. */
  readonly fetch: (request: Request) => Promise<Response>;
}

/**
 * Builds a receiver for one contract endpoint; {@link createWebhookHandler} is its `fetch`. It
 * checks, in this order, the method (405), the size (413, Content-Length first, then a running cap
 * while reading), the content type (415), the bearer token if configured and the Standard Webhooks
 * signature on the raw bytes (401), the JSON (400), the envelope against the contract (422
 * `VALIDATION_FAILED` / `UNKNOWN_EVENT`), that `webhook-id` equals the envelope `id` (422), and
 * whether the id already succeeded (200 with the first answer and `duplicate: true`). It then claims
 * the id in the dedup store (a concurrent copy waits for the first's answer, bounded by
 * `duplicateWaitMs`, else 500 `INTERNAL` with `Retry-After`), and only then calls your typed
 * handler, checks what it returns against the event's success answer and answers 200, or the code
 * of a thrown `ContractError`, or a generic 500.
 *
 * Throws at creation (not per request) for a malformed secret, a missing or foreign handler, or bad
 * options.
 *
 * @example
 * ```ts
 * const receiver = createWebhookReceiver({
 *   endpoint: "dttracker.webhooks",
 *   secrets: process.env.DOBBLETAP_WEBHOOK_SECRET!,
 *   handlers: {
 *     offer_accepted: ({ data }) => ({ type: "offer", id: data.offerId, status: "accepted" }),
 *     offer_declined: ({ data }) => ({ type: "offer", id: data.offerId, status: "declined" }),
 *   },
 * });
 * const { status, body } = await receiver.receive({ method: "POST", headers, body: rawBytes, request });
 * ```
 */
export function createWebhookReceiver<P extends EndpointId, Tx>(options: TransactionalWebhookHandlerOptions<P, Tx>): WebhookReceiver;
export function createWebhookReceiver<P extends EndpointId>(options: WebhookHandlerOptions<P>): WebhookReceiver;
export function createWebhookReceiver(options: AnyOptions): WebhookReceiver {
  const state = createReceiverState(options);
  const receive = (delivery: Delivery) => answer(state, delivery);
  return {
    receive,
    fetch: (request) =>
      answer(state, { method: request.method, headers: request.headers, body: request.body, request }).then(
        (answered) => new Response(answered.body, { status: answered.status, headers: answered.headers }),
      ),
  };
}

const INTERNAL_ANSWER: DeliveryAnswer = Object.freeze({ status: INTERNAL.status, headers: headersOf(INTERNAL), body: INTERNAL.json! });

function answer(state: ReceiverState, delivery: Delivery): Promise<DeliveryAnswer> {
  const started = state.onOutcome === undefined ? 0 : performance.now();
  let pending: Answer | Promise<Answer>;
  try {
    const checked = check(state, delivery);
    pending =
      checked instanceof Promise
        ? checked.then((result) => ("bytes" in result ? deliver(state, delivery.request, result) : result))
        : "bytes" in checked
          ? deliver(state, delivery.request, checked)
          : checked;
  } catch (error) {
    pending = unexpected(state, error);
  }
  if (pending instanceof Promise) {
    return pending.then(
      (answered) => finish(state, answered, started),
      (error: unknown) => finish(state, unexpected(state, error), started),
    );
  }
  return Promise.resolve(finish(state, pending, started));
}

/** Unreachable by design (each step answers its own failures); an answer is still owed. */
function unexpected(state: ReceiverState, error: unknown): Answer {
  report(state.onError, error, {});
  return INTERNAL;
}

function finish(state: ReceiverState, answer: Answer, started: number): DeliveryAnswer {
  if (state.onOutcome !== undefined) reportOutcome(state.onOutcome, answer, started);
  let body = answer.json;
  if (body === undefined) {
    try {
      body = JSON.stringify(answer.body);
    } catch (error) {
      // Unreachable by design (answers hold only checked data); a body is still owed.
      report(state.onError, error, { event: answer.event, id: answer.id });
      return INTERNAL_ANSWER;
    }
  }
  return { status: answer.status, headers: headersOf(answer), body };
}

function reportOutcome(onOutcome: (outcome: RequestOutcome) => void, answer: Answer, started: number): void {
  const outcome: RequestOutcome = { status: answer.status, ms: performance.now() - started };
  if (answer.code !== undefined) outcome.code = answer.code;
  if (answer.event !== undefined) outcome.event = answer.event;
  if (answer.id !== undefined) outcome.id = answer.id;
  if (answer.duplicate) outcome.duplicate = true;
  if (answer.result !== undefined) outcome.result = answer.result;
  try {
    onOutcome(outcome);
  } catch {
    // A logging hook must not change the answer.
  }
}
