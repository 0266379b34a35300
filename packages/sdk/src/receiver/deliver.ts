import { parseSuccessAnswer, type EventEnvelope, type EventName } from "@dttracker-dobbletap/contracts";
import { about, busy, failure, internal, success, type Answer } from "./answers.js";
import type { CheckedDelivery } from "./checks.js";
import type { Claim, DedupLease, StoredAnswer } from "./dedup-store.js";
import { digestMatches, digestOf } from "./digest.js";
import { isDuplicateResult, type DuplicateResult } from "./duplicate-result.js";
import { handlerRefusal } from "./handler-fault.js";
import { HandlerTimeoutError, TIMED_OUT, withinTime } from "./handler-timeout.js";
import type { ReceiverState } from "./receiver-state.js";
import type { Delivery } from "./receiver.js";
import { invalidHandlerResult, report } from "./report.js";
import type { HandlerContext } from "./types.js";

/**
 * The handler's context. `request` is built on first read (most handlers never read it): a Request
 * over the verified bytes, the same on every path. A class, so the getter lives on the prototype.
 */
class Context implements HandlerContext {
  #request: Request | undefined;
  readonly deliveryId: string;
  readonly #source: Delivery["request"];
  readonly #bytes: Uint8Array;
  declare readonly tx?: unknown;

  constructor(deliveryId: string, source: Delivery["request"], bytes: Uint8Array, tx: unknown) {
    this.deliveryId = deliveryId;
    this.#source = source;
    this.#bytes = bytes;
    // Only transactional receivers hand out a transaction; the others' context has no `tx` at all.
    if (tx !== undefined) (this as { tx?: unknown }).tx = tx;
  }

  get request(): Request {
    if (this.#request === undefined) {
      const source = this.#source;
      const body = this.#bytes as Uint8Array<ArrayBuffer>;
      // A Request's body is read once: the original's was read by the receiver, so a copy carries
      // the bytes. Its parts are copied one by one: a framework's Request-like object (Hono's on
      // node) is not a Request that `new Request(source)` could clone.
      this.#request =
        typeof source === "function" ? source(body) : new Request(source.url, { method: source.method, headers: source.headers, body, signal: source.signal });
    }
    return this.#request;
  }
}

/**
 * Claim the id, run the handler (bounded in time), check what it returned, then remember the answer
 * (complete) or give the id up (release). A copy that finds the id done replays its answer. Only
 * the store's and the handler's own promises are waited on: the rest runs synchronously.
 */
export function deliver(state: ReceiverState, request: Delivery["request"], checked: CheckedDelivery): Promise<Answer> {
  const { id, event: name } = checked.event;
  const failed = (error: unknown) => {
    report(state.onError, error, { event: name, id });
    return internal(name, id);
  };
  let claiming: Promise<Claim<unknown>>;
  try {
    claiming = Promise.resolve(state.store.claim(id, state.once.claim));
  } catch (error) {
    return Promise.resolve(failed(error));
  }
  return claiming.then((claim) => claimed(state, request, checked, claim), failed);
}

function claimed(state: ReceiverState, request: Delivery["request"], { event, bytes }: CheckedDelivery, claim: Claim<unknown>): Answer | Promise<Answer> {
  const { id, event: name } = event;
  if (claim.status === "done") {
    const digest = digestOf(event.data);
    return typeof digest === "string" ? replay(claim.answer, event, digest) : digest.then((current) => replay(claim.answer, event, current));
  }
  if (claim.status === "busy") return busy(name, id, state.once.retryAfter);
  const lease = claim.lease;
  const outcome = run(state, new Context(id, request, bytes, state.once.transactional ? lease.tx : undefined), event);
  return outcome instanceof Promise ? outcome.then((ran) => settle(state, event, lease, ran)) : settle(state, event, lease, outcome);
}

/** Remembers a success (complete) or gives the id up (release), then answers. */
function settle(state: ReceiverState, event: EventEnvelope, lease: DedupLease<unknown>, outcome: RunOutcome): Promise<Answer> {
  const { id, event: name } = event;
  const reported = (error: unknown) => report(state.onError, error, { event: name, id });
  if (outcome.stored === undefined) {
    if (outcome.timedOut) {
      // The handler may still be inside a query; the store rolls back behind it, never waited on here.
      void lease.release().catch(reported);
      return Promise.resolve(outcome.answer);
    }
    return lease.release().then(
      () => outcome.answer,
      (error: unknown) => {
        reported(error);
        return outcome.answer;
      },
    );
  }
  const stored = outcome.stored;
  const complete = (digest: string) => lease.complete({ event: name, body: stored, digest });
  const digest = digestOf(event.data);
  return (typeof digest === "string" ? complete(digest) : digest.then(complete)).then(
    () => outcome.answer,
    (error: unknown) => {
      reported(error);
      // Transactional: the commit failed, so the handler's writes are gone too; never a 200 for that.
      // Otherwise the work is done and the answer is true; only a later retry would repeat it.
      return state.once.transactional ? internal(name, id) : outcome.answer;
    },
  );
}

/** The first answer again, unless the id is reused for another event or other data (409). */
function replay(stored: StoredAnswer, event: EventEnvelope, digest: string): Answer {
  const { id, event: name } = event;
  // Replaying the first answer for other content would claim this event was done; it was not.
  if (stored.event !== name) {
    return about(failure("INVALID_STATE", `The id ${id} was already used for a ${stored.event} event. Every event needs its own id.`), name, id);
  }
  if (!digestMatches(stored.digest, event.data, digest)) {
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

/** What running the handler came to; `stored` only for a success. */
interface RunOutcome {
  answer: Answer;
  stored?: StoredAnswer["body"];
  timedOut?: boolean;
}

/**
 * The handler under the time bound, and the check of what it returned. Synchronous for a handler
 * that returns a value: it has finished already, so there is no timer to race it against.
 */
function run(state: ReceiverState, context: Context, event: EventEnvelope): RunOutcome | Promise<RunOutcome> {
  let returned: unknown;
  try {
    returned = state.handlers[event.event]!(event, context);
    if (isThenable(returned)) {
      return withinTime(Promise.resolve(returned), state.once.handlerTimeoutMs).then(
        (settled) => judge(state, event, settled),
        (error: unknown) => refused(state, event, error),
      );
    }
  } catch (error) {
    return refused(state, event, error);
  }
  return judge(state, event, returned);
}

/**
 * What a handler threw. The status comes from the contract's table, never from the error: a
 * rethrown remote error carries the other side's status, and a 200 must never carry a failure. A
 * code that is not the contract's is the handler's bug: a 500, like any other throw.
 */
function refused(state: ReceiverState, { id, event: name }: EventEnvelope, error: unknown): RunOutcome {
  const refusal = handlerRefusal(error, state.scrub);
  if (refusal) return { answer: about(failure(refusal.code, refusal.message, refusal.issues), name, id) };
  report(state.onError, error, { event: name, id });
  return { answer: internal(name, id) };
}

/** Checks what the handler returned against the event's success answer. */
function judge(state: ReceiverState, event: EventEnvelope, returned: unknown): RunOutcome {
  const { id, event: name } = event;
  if (returned === TIMED_OUT) {
    report(state.onError, new HandlerTimeoutError(name, state.once.handlerTimeoutMs), { event: name, id });
    return { answer: internal(name, id), timedOut: true };
  }
  const duplicate = isDuplicateResult(returned);
  const result = duplicate ? (returned as DuplicateResult<unknown>).result : returned;
  const checked = parseSuccessAnswer(
    name as EventName,
    duplicate ? { success: true, eventId: id, result, duplicate: true } : { success: true, eventId: id, result },
    event.data,
  );
  if (!checked.success) {
    // Never a 200 for something that was not done: a result that names no record is a receiver bug.
    report(state.onError, invalidHandlerResult(name, checked.issues), { event: name, id });
    return { answer: internal(name, id) };
  }
  return { answer: success(checked.answer, checked.answer.result, duplicate, name, id), stored: checked.answer };
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
