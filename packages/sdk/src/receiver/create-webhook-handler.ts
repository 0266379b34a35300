import {
  errorAnswer,
  errorCodes,
  isEventName,
  MAX_BODY_BYTES,
  parseEventJson,
  parseSuccessAnswer,
  type ErrorCode,
  type EventEnvelope,
  type EventName,
  type EventResult,
  type Issue,
} from "@dttracker-dobbletap/contracts";
import { ContractViolationError, isContractError, isSignatureError } from "../errors/index.js";
import { createVerifier, type HmacBackend, type WebhookVerifier } from "../signing/index.js";
import { bearerMatches, expectedBearer } from "./bearer.js";
import { isJsonContentType } from "./content-type.js";
import { createMemoryDedupStore, type DedupStore, type StoredAnswer } from "./dedup-store.js";
import { isDuplicateResult, type DuplicateResult } from "./duplicate-result.js";
import { readCappedBody } from "./read-body.js";

export { duplicateResult, type DuplicateResult } from "./duplicate-result.js";

/** A receiver: a Web-standard request handler (Deno.serve, Supabase Edge Functions, Hono, Next route handlers). */
export type WebhookHandler = (request: Request) => Promise<Response>;

/** What a handler gets besides the event. */
export interface HandlerContext {
  /** The original request (its body has been read). */
  request: Request;
  /** The verified `webhook-id`, equal to `event.id`: the idempotency key of this delivery. */
  deliveryId: string;
}

/** What a handler returns: the record it created or found, or {@link duplicateResult} of it. */
export type HandlerResult<K extends EventName> = EventResult<K> | DuplicateResult<EventResult<K>>;

/**
 * Handles one event: does the work and returns the record it created, or throws a
 * `ContractError` (`CAMPAIGN_NOT_FOUND`, `INVALID_STATE`, …) to answer with that code.
 */
export type EventHandler<K extends EventName> = (
  event: EventEnvelope<K>,
  context: HandlerContext,
) => HandlerResult<K> | Promise<HandlerResult<K>>;

/** One handler per event; the keys are the events this endpoint accepts (any other is `UNKNOWN_EVENT`). */
export type WebhookHandlers<E extends EventName> = { [K in E]: EventHandler<K> };

/** What happened to one request; given to `onOutcome` once per request. */
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

/** Options for {@link createWebhookHandler}. */
export interface WebhookHandlerOptions<E extends EventName> {
  /** The signing secret (`whsec_…`), or several during a rotation: a signature by any of them passes. */
  secrets: string | readonly string[];
  /** One handler per accepted event. */
  handlers: WebhookHandlers<E>;
  /**
   * Also require `Authorization: Bearer <token>` (Supabase's gateway key). Mode `with-signature`
   * (default) requires the token in addition to a valid signature. `bearer-only` is the legacy
   * deployed setup: a request with the right token and no signature headers is accepted. A bearer
   * token is not proof of authenticity (every client of the function holds it); migrate off it.
   */
  bearer?: { token: string; mode?: "with-signature" | "bearer-only" };
  /** Remembers successful ids. Default: {@link createMemoryDedupStore} (per process). */
  dedupStore?: DedupStore;
  /** Default 256 KiB (`MAX_BODY_BYTES`); larger bodies are 413. */
  maxBodyBytes?: number;
  /** How far `webhook-timestamp` may be from now, either way. Default 300 s. */
  toleranceSeconds?: number;
  /** The clock, in milliseconds; for tests. */
  now?: () => number;
  /** The HMAC implementation; default `auto` (node:crypto where it exists, else Web Crypto). */
  backend?: HmacBackend;
  /**
   * Called when a handler throws something other than a `ContractError`, or returns a result that
   * breaks the contract, so you can log it. The sender only ever sees a generic 500 `INTERNAL`.
   * Default: one `console.error` line.
   */
  onError?: (error: unknown, context: { event?: string; id?: string }) => void;
  /** Called once per request with what was answered; for access logs and metrics. */
  onOutcome?: (outcome: RequestOutcome) => void;
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
}

type AnyHandler = (event: EventEnvelope, context: HandlerContext) => unknown;

/** Everything decided once, when the handler is created; the per-request path only reads it. */
interface Receiver {
  handlers: Record<string, AnyHandler>;
  accept: { accept: readonly EventName[] };
  verifier: WebhookVerifier;
  bearer: Uint8Array | undefined;
  bearerOnly: boolean;
  store: DedupStore;
  maxBodyBytes: number;
  tooLarge: Answer;
  onError: (error: unknown, context: { event?: string; id?: string }) => void;
  onOutcome: ((outcome: RequestOutcome) => void) | undefined;
  /** Deliveries being processed, by id: a second delivery of the same id waits for the first. */
  inflight: Map<string, Promise<void>>;
}

const JSON_HEADERS = { "content-type": "application/json" } as const;
const JSON_HEADERS_ALLOW_POST = { "content-type": "application/json", allow: "POST" } as const;
// Stateless between calls (no streaming), so one decoder serves every request.
const utf8 = new TextDecoder("utf-8", { fatal: true });

const METHOD_NOT_ALLOWED: Answer = {
  ...failure("VALIDATION_FAILED", "Use POST: this endpoint only receives webhook deliveries."),
  status: 405,
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

/**
 * Builds a receiver for the contract's events: a Web-standard `(Request) => Promise<Response>`.
 * It checks, in this order, the method (405), the size (413, read with a running cap), the content
 * type (415), the bearer token if configured and the Standard Webhooks signature on the raw bytes
 * (401), the JSON (400), the envelope against the contract (422 `VALIDATION_FAILED` /
 * `UNKNOWN_EVENT`), that `webhook-id` equals the envelope `id` (422), and whether the id already
 * succeeded (200 with the first answer and `duplicate: true`). Only then it calls your typed handler,
 * checks what it returns against the event's success answer and answers 200, or the code of a thrown
 * `ContractError`, or a generic 500. It never throws: every request gets a contract answer.
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
export function createWebhookHandler<E extends EventName>(options: WebhookHandlerOptions<E>): WebhookHandler {
  const receiver = createReceiver(options);
  return (request) => receive(receiver, request);
}

function createReceiver<E extends EventName>(options: WebhookHandlerOptions<E>): Receiver {
  const handlers = options.handlers as unknown as Record<string, AnyHandler>;
  if (typeof handlers !== "object" || handlers === null) throw new TypeError("createWebhookHandler needs a handlers object.");
  const accept = Object.keys(handlers);
  if (accept.length === 0) throw new TypeError("createWebhookHandler needs at least one event handler.");
  for (const name of accept) {
    if (!isEventName(name)) throw new TypeError(`handlers.${name} is not an event of the contract.`);
    if (typeof handlers[name] !== "function") throw new TypeError(`handlers.${name} must be a function.`);
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
    verifier: createVerifier(options.secrets, {
      toleranceSeconds: options.toleranceSeconds,
      now: options.now,
      backend: options.backend,
    }),
    bearer: options.bearer ? expectedBearer(options.bearer.token) : undefined,
    bearerOnly,
    store: options.dedupStore ?? createMemoryDedupStore(),
    maxBodyBytes,
    tooLarge: failure(
      "PAYLOAD_TOO_LARGE",
      `The body is larger than ${maxBodyBytes} bytes. Send smaller batches (creators_synced takes at most 500 creators).`,
    ),
    onError: options.onError ?? logError,
    onOutcome: options.onOutcome,
    inflight: new Map(),
  };
}

async function receive(receiver: Receiver, request: Request): Promise<Response> {
  const started = receiver.onOutcome === undefined ? 0 : performance.now();
  let answer: Answer;
  try {
    answer = await process(receiver, request);
  } catch (error) {
    // Unreachable by design (each step answers its own failures); a Response is still owed.
    report(receiver, error, {});
    answer = INTERNAL;
  }
  if (receiver.onOutcome !== undefined) {
    const outcome: RequestOutcome = { status: answer.status, ms: performance.now() - started };
    if (answer.code !== undefined) outcome.code = answer.code;
    if (answer.event !== undefined) outcome.event = answer.event;
    if (answer.id !== undefined) outcome.id = answer.id;
    if (answer.duplicate) outcome.duplicate = true;
    if (answer.result !== undefined) outcome.result = answer.result;
    try {
      receiver.onOutcome(outcome);
    } catch {
      // A logging hook must not change the answer.
    }
  }
  return new Response(JSON.stringify(answer.body), {
    status: answer.status,
    headers: answer.allow ? JSON_HEADERS_ALLOW_POST : JSON_HEADERS,
  });
}

/** The contract's checks, in order; each failure is answered here. */
async function process(receiver: Receiver, request: Request): Promise<Answer> {
  if (request.method !== "POST") return METHOD_NOT_ALLOWED;

  // Refuse a declared oversize body before reading a byte of it.
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > receiver.maxBodyBytes) return receiver.tooLarge;
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readCappedBody(request.body, receiver.maxBodyBytes);
  } catch {
    return UNREADABLE_BODY;
  }
  if (bytes === undefined) return receiver.tooLarge;

  const headers = request.headers;
  if (!isJsonContentType(headers.get("content-type"))) return UNSUPPORTED_MEDIA_TYPE;

  if (receiver.bearer !== undefined && !bearerMatches(headers.get("authorization"), receiver.bearer)) return BAD_BEARER;
  let deliveryId = headers.get("webhook-id");
  // Legacy bearer-only senders do not sign; a request that carries any signature header is verified.
  const unsigned = receiver.bearerOnly && !headers.has("webhook-signature") && !headers.has("webhook-timestamp");
  if (!unsigned) {
    try {
      deliveryId = (await receiver.verifier.verify(headers, bytes)).id;
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
  const parsed = parseEventJson(text, receiver.accept);
  if (!parsed.success) return failure(parsed.error.code, parsed.error.message, parsed.error.issues);
  const event = parsed.event;
  const { id, event: name } = event;
  if (deliveryId !== null && deliveryId !== id) {
    return withEvent(
      failure(
        "VALIDATION_FAILED",
        "The envelope id does not equal the webhook-id header: they must be the same idempotency key.",
        [{ path: "id", message: "must equal the webhook-id header" }],
      ),
      name,
      id,
    );
  }

  // One delivery of an id at a time in this process: a concurrent retry waits for the first attempt,
  // then sees its success in the store (duplicate) or, after a failure, runs the handler itself.
  const previous = receiver.inflight.get(id);
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous === undefined ? mine : previous.then(() => mine);
  receiver.inflight.set(id, tail);
  try {
    if (previous !== undefined) await previous;
    return withEvent(await deliver(receiver, request, event), name, id);
  } finally {
    release();
    if (receiver.inflight.get(id) === tail) receiver.inflight.delete(id);
  }
}

/** Dedup, then the handler, then the check of what it returned. */
async function deliver(receiver: Receiver, request: Request, event: EventEnvelope): Promise<Answer> {
  const { id, event: name } = event;
  let stored: StoredAnswer | undefined;
  try {
    stored = await receiver.store.get(id);
  } catch (error) {
    report(receiver, error, { event: name, id });
    return INTERNAL;
  }
  if (stored !== undefined) {
    if (stored.event !== name) {
      // Replaying the first answer would claim this event was done; it was not.
      return failure(
        "INVALID_STATE",
        `The id ${id} was already used for a ${stored.event} event. Every event needs its own id.`,
      );
    }
    return success({ ...stored.body, duplicate: true }, stored.body.result, true);
  }

  let returned: unknown;
  try {
    returned = await receiver.handlers[name]!(event, { request, deliveryId: id });
  } catch (error) {
    if (isContractError(error)) return failure(error.code, error.message, error.issues, error.status);
    report(receiver, error, { event: name, id });
    return INTERNAL;
  }

  const duplicate = isDuplicateResult(returned);
  const result = duplicate ? (returned as DuplicateResult<unknown>).result : returned;
  const checked = parseSuccessAnswer(
    name,
    duplicate ? { success: true, eventId: id, result, duplicate: true } : { success: true, eventId: id, result },
  );
  if (!checked.success) {
    // Never a 200 for something that was not done: a result that names no record is a receiver bug.
    report(
      receiver,
      new ContractViolationError(
        `The ${name} handler returned a result that breaks the contract: ${checked.issues
          .map((issue) => `${issue.path}: ${issue.message}`)
          .join("; ")}`,
        checked.issues,
        "answer",
      ),
      { event: name, id },
    );
    return INTERNAL;
  }
  try {
    await receiver.store.set(id, { event: name, body: checked.answer });
  } catch (error) {
    // The work is done and the answer is true; only a later retry would repeat it. Tell the integrator.
    report(receiver, error, { event: name, id });
  }
  return success(checked.answer, checked.answer.result, duplicate);
}

function failure(code: ErrorCode, message: string, issues?: Issue[], status: number = errorCodes[code].status): Answer {
  return { status, code, body: errorAnswer(code, message, issues) };
}

function success(body: object, result: unknown, duplicate: boolean): Answer {
  return { status: 200, body, result, duplicate };
}

function withEvent(answer: Answer, event: string, id: string): Answer {
  return { ...answer, event, id };
}

function report(receiver: Receiver, error: unknown, context: { event?: string; id?: string }): void {
  try {
    receiver.onError(error, context);
  } catch {
    // A logging hook must not change the answer.
  }
}

/** The default `onError`: one line, no body, no headers, nothing the request carried but its event and id. */
function logError(error: unknown, context: { event?: string; id?: string }): void {
  const what = error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
  const line = what.length > 300 ? `${what.slice(0, 300)}…` : what;
  console.error(
    `[@dttracker-dobbletap/sdk] ${context.event ?? "webhook"} ${context.id ?? "(no id)"} failed with 500 INTERNAL: ${line.replace(/\s+/g, " ")}`,
  );
}
