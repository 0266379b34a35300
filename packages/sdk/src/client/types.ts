/**
 * The client's public types: its options, what a send resolves to, and the per-party clients
 * derived from the contract's event map.
 */
import type { ErrorCode, EventDataInput, EventName, EventResult, EventsTo, Party, PascalCase } from "@dttracker-dobbletap/contracts";
import type { InvalidAnswerError } from "../errors/invalid-answer-error.js";
import type { RemoteError } from "../errors/remote-error.js";
import type { TransportError } from "../errors/transport-error.js";
import type { UnexpectedResponseError } from "../errors/unexpected-response-error.js";
import type { DeliveryErrorCode } from "../errors/webhook-kit-error.js";
import type { RetryPolicy } from "./retry.js";
import type { RetryQueue } from "./retry-queue.js";

/**
 * The per-attempt logging hooks (see `DeliveryHooks`, which adds `onResult`). They receive what an
 * operator needs to follow a delivery and never a header, a secret, a token or a signature.
 *
 * @example
 * ```ts
 * const hooks: AttemptHooks = { onResponse: ({ event, id, attempt, status, ms }) => console.info({ event, id, attempt, status, ms }) };
 * ```
 */
export interface AttemptHooks {
  /** Before each attempt (1 for the first). `url` has no credentials and no query string. */
  onAttempt?(info: { event: EventName; id: string; attempt: number; url: string }): void;
  /** When an attempt got an HTTP answer; `ms` is the time from sending to the answer's headers. */
  onResponse?(info: { event: EventName; id: string; attempt: number; status: number; ms: number }): void;
}

/**
 * Logging hooks: one call per attempt, per answer and per send. They never receive a header, a
 * secret, a token or a signature, so their payloads can go to any log. A hook that throws is ignored.
 *
 * @example
 * ```ts
 * const dobbletap = createDobbletapClient({
 *   baseUrl, secret,
 *   hooks: {
 *     onAttempt: ({ event, id, attempt }) => console.info("sending", event, id, "attempt", attempt),
 *     onResponse: ({ status, ms }) => console.info("answered", status, "in", Math.round(ms), "ms"),
 *     onResult: (sent) => console.info(sent.eventId, sent.syncStatus),
 *   },
 * });
 * ```
 */
export interface DeliveryHooks extends AttemptHooks {
  /** Once per send, with what the send resolves to. */
  onResult?(result: SendResult): void;
}

/**
 * How to reach and authenticate to the receiving party.
 *
 * @example
 * ```ts
 * const options: ClientOptions = {
 *   baseUrl: process.env.DOBBLETAP_BASE_URL!, // https://<ref>.supabase.co/functions/v1/make-server-8061e72e
 *   secret: process.env.DOBBLETAP_WEBHOOK_SECRET!,
 *   bearerToken: process.env.DOBBLETAP_ANON_KEY,
 * };
 * ```
 */
export interface ClientOptions {
  /**
   * The receiving party's base URL; each event's path is appended to it. Dobbletap:
   * `https://<ref>.supabase.co/functions/v1/make-server-8061e72e`; DTTracker:
   * `https://<ref>.supabase.co/functions/v1`; locally `http://127.0.0.1:<port>`. Configuration, never a constant.
   */
  baseUrl: string;
  /**
   * This sender's `v1a` secret key (`whsk_…`, from `generateKeyPair()`): every request carries a
   * `v1a` Ed25519 signature the receiver checks with the matching `whpk_` public key. Recommended.
   */
  secretKey?: string | readonly string[];
  /**
   * The `v1` shared signing secret (`whsec_…`); several for a rotation. Given with `secretKey`
   * (a migration), every request carries both signatures. At least one of the two is required.
   */
  secret?: string | readonly string[];
  /** Sent as `Authorization: Bearer <token>` when the receiver's gateway demands it (Supabase's anon key). */
  bearerToken?: string;
  /** How long one attempt may wait for an answer. Default 10 000 ms. */
  timeoutMs?: number;
  /** The retry policy (partial: the rest from `defaultRetryPolicy`), or `false` for a single attempt. */
  retry?: Partial<RetryPolicy> | false;
  /** Where an event goes when every attempt failed in a way that may succeed later. */
  retryQueue?: RetryQueue;
  /**
   * The fetch to use (a test double, an instrumented fetch). Default: the global fetch, looked up
   * per call. It is called as `fetch(url, init)` with `init.body` the signed bytes and
   * `init.headers` a plain record.
   */
  fetch?: typeof fetch;
  /** Logging hooks. */
  hooks?: DeliveryHooks;
  /** The clock used to timestamp signatures, in milliseconds (for tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * Per-send options.
 *
 * @example
 * ```ts
 * // An idempotent resend: the receiver answers the first result with duplicate: true.
 * await dobbletap.send("offer_sent", data, { id: previous.eventId, signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface SendOptions {
  /** The envelope id (a UUID, also `webhook-id`). Give the id of an earlier send to resend it idempotently. Default: a new UUID. */
  id?: string | undefined;
  /** When the event happened. Default: now. */
  occurredAt?: string | Date | undefined;
  /** Aborts the send (no more attempts; it resolves with a failure and is not queued). */
  signal?: AbortSignal | undefined;
}

/**
 * The code of `syncStatus.error`: the receiver's contract code (from its error answer), a delivery
 * code (`NETWORK_ERROR`, `TIMEOUT`, `INVALID_ANSWER`, `UNEXPECTED_RESPONSE`), or `PARTIAL_FAILURE`.
 */
export type SyncErrorCode = ErrorCode | DeliveryErrorCode | "PARTIAL_FAILURE";

/** Why an event is not (wholly) synced: a code and a message that says what to do. */
export interface SyncError {
  code: SyncErrorCode;
  message: string;
}

/**
 * `PARTIAL_FAILURE`, the one `error` a synced send can carry: a creator batch was delivered (and
 * each creator's own outcome is in `result.failed`), but some creators failed. It is not a
 * failure of the send, so there is no error class for it and no `failure`.
 */
export interface PartialFailure extends SyncError {
  code: "PARTIAL_FAILURE";
}

/**
 * Whether the other side has the event, as the integration's callers record it.
 *
 * @example
 * ```ts
 * const { syncStatus } = await dobbletap.offerSent(data);
 * await db.offers.update(offer.id, { sync_status: syncStatus });
 * ```
 */
export interface SyncStatus {
  /** True only when the receiver answered with the contract's success naming its record. */
  synced: boolean;
  /** Why not, when not synced. With `synced: true` it is a {@link PartialFailure} or `null`. */
  error: SyncError | null;
  /** True only when the event was handed to the retry queue and the queue accepted it. */
  retryQueued: boolean;
}

/**
 * Why a send did not sync, by role: the other side's error answer ({@link RemoteError}), an answer
 * that broke the contract ({@link InvalidAnswerError}), an answer without a contract body
 * ({@link UnexpectedResponseError}), or no answer at all ({@link TransportError}). A request that
 * breaks the contract is not among them: it is refused before sending (a `RequestValidationError`
 * rejects the send).
 */
export type SendFailureError = RemoteError | InvalidAnswerError | UnexpectedResponseError | TransportError;

/**
 * A send the receiver confirmed: `result` is the record it created or found.
 *
 * @example
 * ```ts
 * const sent = await dobbletap.offerSent(data);
 * if (sent.success) console.log(sent.result.id, sent.duplicate);
 * ```
 */
export interface SendSuccess<E extends EventName = EventName> {
  success: true;
  /** The envelope id (`webhook-id`): keep it to resend idempotently. */
  eventId: string;
  syncStatus: { synced: true; error: PartialFailure | null; retryQueued: false };
  /** What the receiver did: the record it created or found (for a creator sync, each creator's outcome). */
  result: EventResult<E>;
  /**
   * True when the receiver had already processed this event (or the same record): nothing new was
   * created. Absent on a `creatorsSynced` sent in several batches (see each of `batches`).
   */
  duplicate?: boolean;
  /** The HTTP status of the answer (absent on a result aggregated from several batches). */
  status?: number;
  /** How many requests were made. */
  attempts: number;
  failure?: undefined;
  /** `creatorsSynced` with more than `MAX_CREATORS_PER_EVENT` creators: each batch's own result, in order. */
  batches?: SendResult<E>[];
}

/**
 * A send that did not sync; `failure` says why, typed by its role.
 *
 * @example
 * ```ts
 * const sent = await dobbletap.offerSent(data);
 * if (!sent.success) console.warn(sent.failure.name, sent.failure.code, sent.syncStatus.retryQueued);
 * ```
 */
export interface SendFailure<E extends EventName = EventName> {
  success: false;
  /** The envelope id (`webhook-id`): resend with it, and the receiver deduplicates. */
  eventId: string;
  syncStatus: { synced: false; error: SyncError; retryQueued: boolean };
  /** Only on a `creatorsSynced` sent in batches of which some were delivered: what those batches did. */
  result?: EventResult<E>;
  duplicate?: undefined;
  /** The HTTP status of the last answer, when there was one. */
  status?: number;
  /** How many requests were made. */
  attempts: number;
  /** The last answer's `Retry-After` in milliseconds (seconds or an HTTP date, read at arrival), when it had one: a durable outbox schedules its next attempt no earlier. */
  retryAfterMs?: number;
  /** Why it did not sync (for batches, the first undelivered batch's failure). */
  failure: SendFailureError;
  /** `creatorsSynced` with more than `MAX_CREATORS_PER_EVENT` creators: each batch's own result, in order. */
  batches?: SendResult<E>[];
}

/**
 * What every send resolves to; a delivery failure is reported here, never thrown. Narrow it on
 * `success`.
 *
 * @example
 * ```ts
 * const sent = await dobbletap.offerSent(data);
 * if (sent.success) console.log(sent.result.id, sent.result.status); // the offer Dobbletap created
 * else console.warn(sent.syncStatus.error.code, sent.syncStatus.retryQueued);
 * ```
 */
export type SendResult<E extends EventName = EventName> = SendSuccess<E> | SendFailure<E>;

/** `offer_sent` → `offerSent`: the method name of an event. */
export type CamelCase<S extends string> = Uncapitalize<PascalCase<S>>;

/**
 * A sender to one party: one method per event that party receives, derived from the contract's
 * event map, plus `send(event, data, options)`.
 *
 * @example
 * ```ts
 * const client: PartyClient<"dobbletap"> = createClient("dobbletap", { baseUrl, secret });
 * await client.offerSent({ offer });
 * ```
 */
export type PartyClient<P extends Party> = {
  readonly [E in EventsTo<P> as CamelCase<E>]: (data: EventDataInput<E>, options?: SendOptions) => Promise<SendResult<E>>;
} & {
  /**
   * Sends any event this party receives. Rejects (before any request) with a
   * `RequestValidationError` when `data`, `id` or `occurredAt` break the contract; otherwise resolves.
   */
  send<E extends EventsTo<P>>(event: E, data: EventDataInput<E>, options?: SendOptions): Promise<SendResult<E>>;
};

/**
 * What DTTracker uses to send to Dobbletap: `campaignCreated`, `activationUpdated`,
 * `activationCancelled`, `offerSent`, `send`.
 *
 * @example
 * ```ts
 * const dobbletap: DobbletapClient = createDobbletapClient({ baseUrl, secret, bearerToken });
 * ```
 */
export type DobbletapClient = PartyClient<"dobbletap">;

/**
 * What Dobbletap uses to send to DTTracker: `creatorsSynced`, `offerAccepted`, `offerDeclined`, `send`.
 *
 * @example
 * ```ts
 * const dttracker: DttrackerClient = createDttrackerClient({ baseUrl, secret });
 * ```
 */
export type DttrackerClient = PartyClient<"dttracker">;
