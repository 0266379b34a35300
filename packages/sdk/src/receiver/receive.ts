import {
  errorAnswer,
  endpoints,
  errorCodes,
  eventsAt,
  isEventName,
  MAX_BODY_BYTES,
  MAX_CREATORS_PER_EVENT,
  parseEventJson,
  parseSuccessAnswer,
  type ErrorCode,
  type EventEnvelope,
  type EventName,
  type Issue,
} from "@dttracker-dobbletap/contracts";
import { createScrubber } from "../client/redact.js";
import { InvalidAnswerError, isSignatureError } from "../errors/index.js";
import { headerOf } from "../signing/headers.js";
import { createVerifier, type HeadersLike, type WebhookVerifier } from "../signing/index.js";
import { decodePublicKey, decodeV1Secret } from "../signing/keys.js";
import { bearerMatches, expectedBearer } from "./bearer.js";
import { isJsonContentType } from "./content-type.js";
import type { DedupLease, DedupStore, StoredAnswer } from "./dedup-store.js";
import { isDuplicateResult, type DuplicateResult } from "./duplicate-result.js";
import { onceOptions, type OnceOptions } from "./exactly-once.js";
import { HandlerTimeoutError, TIMED_OUT, withinTime } from "./handler-timeout.js";
import { handlerRefusal } from "./handler-fault.js";
import { readCappedBody } from "./read-body.js";
import type { TransactionalWebhookHandlerOptions } from "./transactional.js";
import type { HandlerContext, RequestOutcome, WebhookHandlerOptions } from "./types.js";

/** Either kind of receiver options; the core treats them alike (the types differ for handlers). */
type AnyOptions<E extends EventName> = WebhookHandlerOptions<E> | TransactionalWebhookHandlerOptions<E, unknown>;

/**
 * One delivery as a runtime adapter hands it to the receiver core: no Web `Request` needed, so the
 * node:http adapter (and benchmarks) skip building one.
 *
 * @example
 * ```ts
 * const answer = await receiver.receive({ method: "POST", headers: req.headers, body: bytes, request: () => toRequest(req, bytes) });
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
  /** The request handlers see as `context.request`; a function is called only if a handler reads it. */
  request: Request | (() => Request);
}

/**
 * The receiver core's answer: status, headers and the JSON text of the body.
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
 * The runtime-neutral receiver core behind `createWebhookHandler`: the contract's checks in order,
 * dedup and the typed handler, from raw bytes and headers to an answer.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ secrets, handlers });
 * const answer = await receiver.receive({ method: "POST", headers, body: rawBytes, request });
 * ```
 */
export interface WebhookReceiver {
  receive(delivery: Delivery): Promise<DeliveryAnswer>;
}

/** The answer one request gets, before it becomes a Response; also what `onOutcome` reports. */
interface Answer {
  status: number;
  body: object;
  code?: ErrorCode;
  event?: string;
  id?: string;
  duplicate?: boolean;
  result?: unknown;
  allow?: boolean;
  /** Seconds, for a `Retry-After` header (a concurrent copy that waited past its bound). */
  retryAfter?: string;
}

type AnyHandler = (event: EventEnvelope, context: HandlerContext) => unknown;

/** Everything decided once, when the handler is created; the per-request path only reads it. */
interface State {
  handlers: Record<string, AnyHandler>;
  accept: { accept: readonly EventName[] };
  verifier: WebhookVerifier;
  bearer: Uint8Array | undefined;
  bearerOnly: boolean;
  store: DedupStore<unknown>;
  /** The claim/lease/time bounds and whether handlers get the lease's transaction. */
  once: OnceOptions;
  maxBodyBytes: number;
  tooLarge: Answer;
  onError: (error: unknown, context: { event?: string; id?: string }) => void;
  onOutcome: ((outcome: RequestOutcome) => void) | undefined;
  /** Removes this receiver's secrets and bearer token (and key-shaped text) from a handler's message. */
  scrub: (text: string) => string;
}

const JSON_HEADERS = { "content-type": "application/json" } as const;
const JSON_HEADERS_ALLOW_POST = { "content-type": "application/json", allow: "POST" } as const;
const busyHeaders = new Map<string, Readonly<Record<string, string>>>();
// Stateless between calls (no streaming), so one decoder serves every request.
const utf8 = new TextDecoder("utf-8", { fatal: true });

const METHOD_NOT_ALLOWED: Answer = {
  ...failure("METHOD_NOT_ALLOWED", "Use POST: this endpoint only receives webhook deliveries."),
  allow: true,
};
const UNSUPPORTED_MEDIA_TYPE = failure(
  "UNSUPPORTED_MEDIA_TYPE",
  "Content-Type must be application/json (UTF-8). Send the event envelope as JSON.",
);
const BAD_BEARER = failure(
  "UNAUTHORIZED",
  "Missing or wrong Authorization header: this endpoint requires Authorization: Bearer <token>.",
);
const UNREADABLE_BODY = failure("MALFORMED_JSON", "The body could not be read completely. Send it again.");
const NOT_UTF8 = failure("MALFORMED_JSON", "The body is not valid UTF-8. Send the event envelope as UTF-8 JSON.");
const INTERNAL = failure(
  "INTERNAL",
  "The receiver failed unexpectedly while processing this event. Retry later with the same webhook-id.",
);
const BUSY = failure(
  "INTERNAL",
  "Another delivery of this webhook-id is still being processed; nothing was done with this one. Retry later with the same webhook-id.",
);

function createState<E extends EventName>(options: AnyOptions<E>): State {
  const handlers = options.handlers as unknown as Record<string, AnyHandler>;
  if (typeof handlers !== "object" || handlers === null) throw new TypeError("createWebhookHandler needs a handlers object.");
  const accept = Object.keys(handlers);
  if (accept.length === 0) throw new TypeError("createWebhookHandler needs at least one event handler.");
  for (const name of accept) {
    if (!isEventName(name)) throw new TypeError(`handlers.${name} is not an event of the contract.`);
    if (typeof handlers[name] !== "function") throw new TypeError(`handlers.${name} must be a function.`);
  }
  if (options.endpoint !== undefined) {
    // A forgotten handler would answer its event 422 for ever, and senders never retry a 422.
    if (!Object.hasOwn(endpoints, options.endpoint)) throw new TypeError(`endpoint ${String(options.endpoint)} is not one of the contract's endpoints.`);
    const expected: readonly string[] = eventsAt(options.endpoint);
    const missing = expected.filter((name) => !accept.includes(name));
    const foreign = accept.filter((name) => !expected.includes(name));
    if (missing.length > 0 || foreign.length > 0) {
      throw new TypeError(
        `The ${options.endpoint} endpoint takes exactly ${expected.join(", ")}.` +
          (missing.length > 0 ? ` Missing handlers: ${missing.join(", ")}.` : "") +
          (foreign.length > 0 ? ` Not events of this endpoint: ${foreign.join(", ")}.` : ""),
      );
    }
  }
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new RangeError("maxBodyBytes must be a positive integer.");
  const bearerOnly = options.bearer?.mode === "bearer-only";
  if (options.bearer && options.bearer.mode !== undefined && options.bearer.mode !== "with-signature" && !bearerOnly) {
    throw new TypeError('bearer.mode must be "with-signature" or "bearer-only".');
  }
  if (bearerOnly) {
    console.warn(
      "[@dttracker-dobbletap/sdk] bearer-only mode: requests with the right bearer token and no signature are accepted. " +
        "A bearer token is not proof of authenticity; sign requests and switch to the default mode.",
    );
  }
  return {
    handlers,
    accept: { accept: accept as EventName[] },
    verifier: createVerifier(verificationKeysOf(options), {
      toleranceSeconds: options.toleranceSeconds,
      now: options.now,
      backend: options.backend,
    }),
    bearer: options.bearer ? expectedBearer(options.bearer.token) : undefined,
    bearerOnly,
    ...onceOptions(options),
    maxBodyBytes,
    tooLarge: failure(
      "PAYLOAD_TOO_LARGE",
      `The body is larger than ${maxBodyBytes} bytes. Send smaller batches (creators_synced takes at most ${MAX_CREATORS_PER_EVENT} creators).`,
    ),
    onError: options.onError ?? logError,
    onOutcome: options.onOutcome,
    scrub: createScrubber([options.secrets, options.bearer?.token]),
  };
}

/** The keys to verify with; each option holds only its own kind, and a key of the other is named. */
function verificationKeysOf(options: { publicKeys?: readonly string[]; secrets?: string | readonly string[] }): string[] {
  const publicKeys = options.publicKeys === undefined ? [] : [...options.publicKeys];
  const secrets = options.secrets === undefined ? [] : typeof options.secrets === "string" ? [options.secrets] : [...options.secrets];
  if (typeof options.publicKeys === "string") throw new TypeError('publicKeys must be a list: publicKeys: ["whpk_…"].');
  for (const key of publicKeys) if (typeof key !== "string" || !key.startsWith("whpk_")) decodePublicKey(key, "publicKeys");
  for (const key of secrets) if (typeof key === "string" && (key.startsWith("whsk_") || key.startsWith("whpk_"))) decodeV1Secret(key, "secrets");
  if (publicKeys.length + secrets.length === 0) {
    throw new TypeError("Give createWebhookHandler publicKeys (whpk_…, v1a, recommended) or secrets (whsec_…, v1), or both during a migration.");
  }
  return [...publicKeys, ...secrets];
}

/**
 * Builds the receiver core from the options of `createWebhookHandler` (which wraps it in Web
 * `Request`/`Response`). Throws at creation, not per request, for a malformed secret, an unknown
 * event name or bad options.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({ secrets, handlers: { offer_sent } });
 * const { status, body } = await receiver.receive({ method: "POST", headers, body: rawBytes, request });
 * ```
 */
export function createReceiver<E extends EventName, Tx>(options: TransactionalWebhookHandlerOptions<E, Tx>): WebhookReceiver;
export function createReceiver<E extends EventName>(options: WebhookHandlerOptions<E>): WebhookReceiver;
export function createReceiver<E extends EventName>(options: AnyOptions<E>): WebhookReceiver {
  const state = createState(options);
  return { receive: (delivery) => receive(state, delivery) };
}

async function receive(state: State, delivery: Delivery): Promise<DeliveryAnswer> {
  const started = state.onOutcome === undefined ? 0 : performance.now();
  let answer: Answer;
  try {
    answer = await process(state, delivery);
  } catch (error) {
    // Unreachable by design (each step answers its own failures); an answer is still owed.
    report(state, error, {});
    answer = INTERNAL;
  }
  if (state.onOutcome !== undefined) {
    const outcome: RequestOutcome = { status: answer.status, ms: performance.now() - started };
    if (answer.code !== undefined) outcome.code = answer.code;
    if (answer.event !== undefined) outcome.event = answer.event;
    if (answer.id !== undefined) outcome.id = answer.id;
    if (answer.duplicate) outcome.duplicate = true;
    if (answer.result !== undefined) outcome.result = answer.result;
    try {
      state.onOutcome(outcome);
    } catch {
      // A logging hook must not change the answer.
    }
  }
  let body: string;
  try {
    body = JSON.stringify(answer.body);
  } catch (error) {
    // Unreachable by design (answers hold only checked data); a body is still owed.
    report(state, error, { event: answer.event, id: answer.id });
    answer = INTERNAL;
    body = JSON.stringify(INTERNAL.body);
  }
  return {
    status: answer.status,
    headers: answer.allow ? JSON_HEADERS_ALLOW_POST : answer.retryAfter !== undefined ? retryHeaders(answer.retryAfter) : JSON_HEADERS,
    body,
  };
}

async function readBody(state: State, body: Delivery["body"]): Promise<Uint8Array | undefined> {
  if (body instanceof Uint8Array) return body.byteLength > state.maxBodyBytes ? undefined : body;
  if (typeof body === "function") return body(state.maxBodyBytes);
  return readCappedBody(body, state.maxBodyBytes);
}

/** The contract's checks, in order; each failure is answered here. */
async function process(state: State, delivery: Delivery): Promise<Answer> {
  if (delivery.method !== "POST") return METHOD_NOT_ALLOWED;
  const headers = delivery.headers;

  // Refuse a declared oversize body before reading a byte of it.
  const declared = headerOf(headers, "content-length");
  if (declared !== null && Number(declared) > state.maxBodyBytes) return state.tooLarge;
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readBody(state, delivery.body);
  } catch {
    return UNREADABLE_BODY;
  }
  if (bytes === undefined) return state.tooLarge;

  if (!isJsonContentType(headerOf(headers, "content-type"))) return UNSUPPORTED_MEDIA_TYPE;

  if (state.bearer !== undefined && !bearerMatches(headerOf(headers, "authorization"), state.bearer)) return BAD_BEARER;
  let deliveryId = headerOf(headers, "webhook-id");
  // Legacy bearer-only senders do not sign; a request that carries any signature header is verified.
  const unsigned =
    state.bearerOnly && headerOf(headers, "webhook-signature") === null && headerOf(headers, "webhook-timestamp") === null;
  if (!unsigned) {
    try {
      deliveryId = (await state.verifier.verify(headers, bytes)).id;
    } catch (error) {
      if (isSignatureError(error)) return failure("UNAUTHORIZED", error.message);
      throw error;
    }
  }

  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return NOT_UTF8;
  }
  const parsed = parseEventJson(text, state.accept);
  if (!parsed.success) {
    const refused = failure(parsed.error.code, parsed.error.message, parsed.error.issues);
    // The verified webhook-id names the delivery in logs even when its body is not a contract event.
    if (deliveryId !== null) refused.id = deliveryId;
    return refused;
  }
  const event = parsed.event;
  const { id, event: name } = event;
  if (deliveryId !== null && deliveryId !== id) {
    const mismatch = failure(
      "VALIDATION_FAILED",
      "The envelope id does not equal the webhook-id header: they must be the same idempotency key.",
      [{ path: "id", message: "must equal the webhook-id header" }],
    );
    mismatch.event = name;
    mismatch.id = id;
    return mismatch;
  }

  return deliver(state, delivery.request, event);
}

/**
 * The handler's context when the adapter builds the request lazily: a class, so the getter lives on
 * the prototype instead of being defined per request.
 */
class LazyContext implements HandlerContext {
  #request: Request | undefined;
  readonly deliveryId: string;
  readonly #build: () => Request;
  declare readonly tx?: unknown;

  constructor(deliveryId: string, build: () => Request, tx: unknown) {
    this.deliveryId = deliveryId;
    this.#build = build;
    // Only transactional receivers hand out a transaction; the others' context has no `tx` at all.
    if (tx !== undefined) (this as { tx?: unknown }).tx = tx;
  }

  get request(): Request {
    return (this.#request ??= this.#build());
  }
}

/**
 * Claim the id, run the handler (bounded in time), check what it returned, then remember the answer
 * (complete) or give the id up (release). A copy that finds the id done replays its answer.
 */
async function deliver(state: State, request: Delivery["request"], event: EventEnvelope): Promise<Answer> {
  const { id, event: name } = event;
  const digest = digestOf(event.data);
  let claim;
  try {
    claim = await state.store.claim(id, state.once.claim);
  } catch (error) {
    report(state, error, { event: name, id });
    return internal(name, id);
  }
  if (claim.status === "done") return replay(claim.answer, name, id, digest);
  if (claim.status === "busy") {
    // Another delivery of this id is still being processed: nothing was done here; retry later.
    return { ...BUSY, retryAfter: state.once.retryAfter, event: name, id };
  }
  const lease = claim.lease;
  const outcome = await run(state, request, event, lease);
  if (outcome.stored === undefined) {
    if (outcome.timedOut) {
      // The handler may still be inside a query; the store rolls back behind it, never waited on here.
      void lease.release().catch((error: unknown) => report(state, error, { event: name, id }));
    } else {
      try {
        await lease.release();
      } catch (error) {
        report(state, error, { event: name, id });
      }
    }
    return outcome.answer;
  }
  try {
    await lease.complete({ event: name, body: outcome.stored, digest });
  } catch (error) {
    report(state, error, { event: name, id });
    // Transactional: the commit failed, so the handler's writes are gone too; never a 200 for that.
    // Otherwise the work is done and the answer is true; only a later retry would repeat it.
    if (state.once.transactional) return internal(name, id);
  }
  return outcome.answer;
}

/** The first answer again, unless the id is reused for another event or other data (409). */
function replay(stored: StoredAnswer, name: EventName, id: string, digest: string): Answer {
  // Replaying the first answer for other content would claim this event was done; it was not.
  if (stored.event !== name) {
    return about(
      failure("INVALID_STATE", `The id ${id} was already used for a ${stored.event} event. Every event needs its own id.`),
      name,
      id,
    );
  }
  if (stored.digest !== digest) {
    return about(
      failure(
        "INVALID_STATE",
        `The id ${id} was already used for a ${name} event with other data. Resend the same data under this id, or new data under a new id.`,
      ),
      name,
      id,
    );
  }
  return success({ ...stored.body, duplicate: true }, stored.body.result, true, name, id);
}

/** The handler under the time bound, and the check of what it returned; `stored` only for a success. */
async function run(
  state: State,
  request: Delivery["request"],
  event: EventEnvelope,
  lease: DedupLease<unknown>,
): Promise<{ answer: Answer; stored?: StoredAnswer["body"]; timedOut?: boolean }> {
  const { id, event: name } = event;
  const tx = state.once.transactional ? lease.tx : undefined;
  let returned: unknown;
  try {
    const context = typeof request === "function" ? new LazyContext(id, request, tx) : tx === undefined ? { request, deliveryId: id } : { request, deliveryId: id, tx };
    returned = await withinTime(Promise.resolve(state.handlers[name]!(event, context)), state.once.handlerTimeoutMs);
  } catch (error) {
    // The status comes from the contract's table, never from the error: a rethrown remote error
    // carries the other side's status, and a 200 must never carry a failure.
    // A code that is not the contract's is the handler's bug: a 500, like any other throw.
    const refusal = handlerRefusal(error, state.scrub);
    if (refusal) return { answer: about(failure(refusal.code, refusal.message, refusal.issues), name, id) };
    report(state, error, { event: name, id });
    return { answer: internal(name, id) };
  }
  if (returned === TIMED_OUT) {
    report(
      state,
      new HandlerTimeoutError(name, state.once.handlerTimeoutMs),
      { event: name, id },
    );
    return { answer: internal(name, id), timedOut: true };
  }

  const duplicate = isDuplicateResult(returned);
  const result = duplicate ? (returned as DuplicateResult<unknown>).result : returned;
  const checked = parseSuccessAnswer(
    name,
    duplicate ? { success: true, eventId: id, result, duplicate: true } : { success: true, eventId: id, result },
    event.data,
  );
  if (!checked.success) {
    // Never a 200 for something that was not done: a result that names no record is a receiver bug.
    report(
      state,
      new InvalidAnswerError(
        `The ${name} handler returned a result that breaks the contract: ${checked.issues
          .map((issue) => `${issue.path}: ${issue.message}`)
          .join("; ")}`,
        checked.issues,
      ),
      { event: name, id },
    );
    return { answer: internal(name, id) };
  }
  return { answer: success(checked.answer, checked.answer.result, duplicate, name, id), stored: checked.answer };
}

function retryHeaders(seconds: string): Readonly<Record<string, string>> {
  let headers = busyHeaders.get(seconds);
  if (headers === undefined) busyHeaders.set(seconds, (headers = { ...JSON_HEADERS, "retry-after": seconds }));
  return headers;
}

function failure(code: ErrorCode, message: string, issues?: Issue[]): Answer {
  return { status: errorCodes[code].status, code, body: errorAnswer(code, message, issues) };
}

/**
 * A short fingerprint of an event's validated data (cyrb53), stored with each success so that an id
 * reused for other content is told apart from a retry. Validated data has its keys in schema order,
 * so equal content gives equal text.
 */
function digestOf(data: unknown): string {
  const text = JSON.stringify(data);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function success(body: object, result: unknown, duplicate: boolean, event: string, id: string): Answer {
  return { status: 200, body, result, duplicate, event, id };
}

/** Tags a freshly made answer with the event and id it is about (for `onOutcome`). */
function about(answer: Answer, event: string, id: string): Answer {
  answer.event = event;
  answer.id = id;
  return answer;
}

function internal(event: string, id: string): Answer {
  return { ...INTERNAL, event, id };
}

function report(state: State, error: unknown, context: { event?: string; id?: string }): void {
  try {
    state.onError(error, context);
  } catch {
    // A logging hook must not change the answer.
  }
}

/**
 * The default `onError`: one line with the event, the id and the error's name only. A thrown
 * message can quote a connection string or a key, so it is left to an `onError` the integrator owns.
 */
function logError(error: unknown, context: { event?: string; id?: string }): void {
  const what = error instanceof Error ? error.name : typeof error;
  console.error(
    `[@dttracker-dobbletap/sdk] ${context.event ?? "webhook"} ${context.id ?? "(no id)"} failed with 500 INTERNAL (${what}). Pass onError to createWebhookHandler to log the error itself.`,
  );
}
