import type { EndpointId, EventEnvelope, EventName, EventResult, EventsAt } from "@dttracker-dobbletap/contracts";
import type { HmacBackend } from "../signing/index.js";
import type { DedupStore } from "./dedup-store.js";
import type { DuplicateResult } from "./duplicate-result.js";

/**
 * A receiver: a Web-standard request handler (Deno.serve, Supabase Edge Functions, Hono, Next route
 * handlers).
 *
 * @example
 * ```ts
 * const handle: WebhookHandler = createWebhookHandler({ endpoint: "dobbletap.webhooks", secrets, handlers });
 * Deno.serve(handle);
 * ```
 */
export type WebhookHandler = (request: Request) => Promise<Response>;

/**
 * What a handler gets besides the event.
 *
 * @example
 * ```ts
 * const offerSent: EventHandler<"offer_sent"> = async (event, { deliveryId, request }: HandlerContext) => {
 *   console.info(`offer ${event.data.offer.id} via delivery ${deliveryId} from ${request.headers.get("user-agent")}`);
 *   return { type: "offer", id: await offers.create(event.data.offer), status: "offered" };
 * };
 * ```
 */
export interface HandlerContext {
  /**
   * The delivery as a Web `Request`, the same on every path (`fetch`, `toNodeListener`, `receive`):
   * its method, URL and headers, and as its body the raw bytes the signature was verified over
   * (readable once: `await context.request.text()`). Built on first read, so a handler that never
   * reads it costs nothing. On the `fetch` path it also keeps the original request's `signal`.
   */
  readonly request: Request;
  /** The verified `webhook-id`, equal to `event.id`: the idempotency key of this delivery. */
  deliveryId: string;
}

/**
 * What a handler returns: the record it created or found (`{ type, id, status }`, or the per-creator
 * mapping for `creators_synced`), or `duplicateResult(...)` of it.
 *
 * @example
 * ```ts
 * const created: HandlerResult<"offer_sent"> = { type: "offer", id: offerId, status: "offered" };
 * const existed: HandlerResult<"offer_sent"> = duplicateResult(created);
 * ```
 */
export type HandlerResult<K extends EventName> = EventResult<K> | DuplicateResult<EventResult<K>>;

/**
 * Handles one event: does the work and returns the record it created, or throws a `ContractError`
 * (`CAMPAIGN_NOT_FOUND`, `INVALID_STATE`, …) to answer with that code.
 *
 * @example
 * ```ts
 * const offerAccepted: EventHandler<"offer_accepted"> = async ({ data }) => {
 *   if (!(await offers.accept(data.offerId))) throw new ContractError("OFFER_NOT_FOUND", `Offer ${data.offerId} is not known here.`);
 *   return { type: "offer", id: data.offerId, status: "accepted" };
 * };
 * ```
 */
export type EventHandler<K extends EventName> = (event: EventEnvelope<K>, context: HandlerContext) => HandlerResult<K> | Promise<HandlerResult<K>>;

/**
 * One handler per event, for exactly the events `E`: a missing one does not compile, and in an
 * object literal neither does a handler for another event (any other event is answered 422
 * `UNKNOWN_EVENT`; `createWebhookHandler` throws at creation for one).
 *
 * @example
 * ```ts
 * const handlers: WebhookHandlers<EventsAt<"dttracker.webhooks">> = { offer_accepted, offer_declined };
 * ```
 */
export type WebhookHandlers<E extends EventName> = { [K in E]: EventHandler<K> };

/**
 * What happened to one request; given to `onOutcome` once per request.
 *
 * @example
 * ```ts
 * const onOutcome = ({ status, code, event, id, duplicate, ms }: RequestOutcome) =>
 *   console.info(JSON.stringify({ status, code, event, id, duplicate, ms: Math.round(ms) }));
 * ```
 */
export interface RequestOutcome {
  status: number;
  /** The error code of a failure answer. */
  code?: string;
  event?: string;
  id?: string;
  /** True when the answer repeated an earlier success (same id) or the handler returned `duplicateResult`. */
  duplicate?: boolean;
  /** Milliseconds from the request's arrival to its answer. */
  ms: number;
  /** The `result` of a success answer. */
  result?: unknown;
}

/**
 * Options for `createWebhookHandler` and `createWebhookReceiver`, for the endpoint `P`.
 *
 * @example
 * ```ts
 * const options: WebhookHandlerOptions<"dttracker.webhooks"> = {
 *   endpoint: "dttracker.webhooks",
 *   secrets: [Deno.env.get("DOBBLETAP_WEBHOOK_SECRET")!, Deno.env.get("DOBBLETAP_WEBHOOK_SECRET_PREVIOUS")!],
 *   handlers: { offer_accepted, offer_declined },
 *   onOutcome: (outcome) => console.info(outcome.status, outcome.event, outcome.id),
 * };
 * ```
 */
export interface WebhookHandlerOptions<P extends EndpointId> {
  /**
   * The contract endpoint this receiver serves, e.g. `"dobbletap.webhooks"`. It decides the exact
   * keys of `handlers`: a forgotten handler would answer its event 422 for ever, and senders never
   * retry a 422, so a missing one (or one of another endpoint) does not compile, and throws at
   * creation for a JavaScript caller.
   */
  endpoint: P;
  /**
   * The `v1a` public keys (`whpk_…`) of the sender this endpoint trusts: a valid Ed25519 signature
   * by any one passes. Never a key named in a request. Recommended.
   */
  publicKeys?: readonly string[];
  /**
   * The `v1` signing secret (`whsec_…`), or several during a rotation: a signature by any of them
   * passes. With `publicKeys` too (a migration), a valid signature of either scheme passes; with only
   * one of them, a request carrying only the other scheme's signature is refused. At least one is required.
   */
  secrets?: string | readonly string[];
  /** One handler per event of `endpoint`. */
  handlers: WebhookHandlers<EventsAt<P>>;
  /**
   * Also require `Authorization: Bearer <token>` (Supabase's gateway key). Mode `with-signature`
   * (default) requires the token in addition to a valid signature. `bearer-only` is the legacy
   * deployed setup: a request with the right token and no signature headers is accepted. A bearer
   * token is not proof of authenticity (every client of the function holds it); migrate off it.
   */
  bearer?: { token: string; mode?: "with-signature" | "bearer-only" };
  /**
   * Where successful ids are remembered, with an atomic claim so a concurrent copy of an id never
   * runs the handler twice. Default: `createMemoryDedupStore()`, per process. Supabase Edge
   * Functions run several short-lived instances, each with its own memory: give them the shared
   * `postgresDedupStore({ db })` from `@dttracker-dobbletap/sdk/postgres`, or a retry that lands on
   * another instance runs the handler again.
   */
  dedupStore?: DedupStore<unknown>;
  /**
   * `true` (with a transactional store such as `postgresDedupStore`) gives each handler `tx`, and
   * its writes through `tx` commit together with the remembered answer, or not at all. See
   * `TransactionalWebhookHandlerOptions`.
   */
  transactional?: false;
  /**
   * The longest a handler may run; past it the request is answered 500 `INTERNAL` (retryable) and
   * the id released, so a retry can run. Default 25 000 (Supabase ends a request at 150 s).
   */
  handlerTimeoutMs?: number;
  /**
   * How long a concurrent copy of an id waits for the first delivery's answer (then answered with
   * it and `duplicate: true`); past it, 500 `INTERNAL` with `Retry-After`. Default 5 000.
   */
  duplicateWaitMs?: number;
  /** Default 256 KiB (`MAX_BODY_BYTES`); larger bodies are 413. */
  maxBodyBytes?: number;
  /** How far `webhook-timestamp` may be from now, either way. Default 300 s. */
  toleranceSeconds?: number;
  /** The clock, in milliseconds; for tests. */
  now?: () => number;
  /** The HMAC implementation; default `auto` (node:crypto where it exists, else Web Crypto). */
  backend?: HmacBackend;
  /**
   * Called when a handler throws something other than a `ContractError`, returns a result that
   * breaks the contract, or the dedup store fails, so you can log it. The sender only ever sees a
   * generic 500 `INTERNAL`. Default: one `console.error` line.
   */
  onError?: (error: unknown, context: { event?: string; id?: string }) => void;
  /** Called once per request with what was answered; for access logs and metrics. */
  onOutcome?: (outcome: RequestOutcome) => void;
}
