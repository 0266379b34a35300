import type { ErrorAnswer, EventData, EventName, Issue, SuccessAnswer } from "@dttracker-dobbletap/contracts";
import { InvalidAnswerError } from "../errors/invalid-answer-error.js";
import { RemoteError } from "../errors/remote-error.js";
import { TransportError } from "../errors/transport-error.js";
import { UnexpectedResponseError } from "../errors/unexpected-response-error.js";
import { judgeAnswer } from "./judge-answer.js";
import { AnswerReadError, MAX_ANSWER_BYTES } from "./read-answer.js";
import { isRetryableStatus, parseRetryAfter, type RawOutcome, type RetryPolicy } from "./retry.js";
import type { SendFailureError } from "./types.js";

/** What a send needs to say about itself in a message. */
export interface OutcomeContext {
  event: EventName;
  id: string;
  /** The validated data that was sent: a result must also be true of it (a sync maps each creator). */
  data: unknown;
  /** The receiving party as people call it: "Dobbletap" or "DTTracker". */
  receiver: string;
  shownUrl: string;
  policy: RetryPolicy;
  timeoutMs: number;
  /** Removes anything sensitive from text the other side wrote. */
  scrub: (text: string) => string;
}

/** A send's verdict: synced with the receiver's answer, or a failure still to be worded. */
export type Verdict<E extends EventName> =
  | { synced: true; answer: SuccessAnswer<E>; status: number }
  | {
      synced: false;
      status: number | undefined;
      /** Worth sending again later (and so worth queueing). */
      retryable: boolean;
      /** The failure's code, known before the advice is. */
      code: SendFailureError["code"];
      /** The answer's `Retry-After`, in ms from now, when it carried a readable one. */
      retryAfterMs?: number;
      /** What went wrong, without the advice on what happens next. */
      message: string;
      /** Builds the failure with the full message (what went wrong + what to do). */
      fail(message: string): SendFailureError;
    };

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

function summarize(issues: readonly Issue[]): string {
  const [first] = issues;
  if (!first) return "unreadable";
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return `${first.path || "body"}: ${first.message}${more}`;
}

function invalidAnswer<E extends EventName>(status: number, message: string, issues: Issue[]): Verdict<E> {
  return {
    synced: false,
    status,
    // The receiver answered; sending again would get the same non-answer. It is fixed on its side.
    retryable: false,
    code: "INVALID_ANSWER",
    message,
    fail: (full) => new InvalidAnswerError(full, issues, { status }),
  };
}

/**
 * Judges what happened on the wire against the contract: an answer by {@link judgeAnswer} (the one
 * judge the SDK and the mock's trigger share), worded with what to do next; no answer by why.
 *
 * @example
 * ```ts
 * const verdict = judge({ kind: "timeout", total: true, attempts: 4, elapsedMs: 30_000 }, context);
 * if (verdict.synced) console.log(verdict.answer.result);
 * ```
 */
export function judge<E extends EventName>(outcome: RawOutcome, context: OutcomeContext): Verdict<E> {
  const { event, id, receiver } = context;
  switch (outcome.kind) {
    case "answered":
      return answered(outcome, context);
    case "timeout": {
      const message = outcome.total
        ? `Sending ${event} ${id} to ${receiver} did not finish within retry.totalTimeoutMs (${context.policy.totalTimeoutMs} ms; ${plural(outcome.attempts, "attempt")} made).`
        : `${receiver} did not answer ${event} ${id} within ${context.timeoutMs} ms on any of ${plural(outcome.attempts, "attempt")}.`;
      return {
        synced: false,
        status: undefined,
        retryable: true,
        code: "TIMEOUT",
        message: `${message} It may or may not have been processed; a resend with the same id is safe.`,
        fail: (full) => new TransportError("TIMEOUT", full),
      };
    }
    case "network": {
      const reason = networkReason(outcome.cause);
      if (outcome.cause instanceof AnswerReadError) {
        return {
          synced: false,
          status: outcome.cause.status,
          retryable: true,
          code: "NETWORK_ERROR",
          message:
            `${receiver} answered ${outcome.cause.status} to ${event} ${id}, but its body was cut off or could not be decoded (${reason}; ${plural(outcome.attempts, "attempt")} made), ` +
            `so nothing confirms it was processed. A resend with the same id is safe.`,
          fail: (full) => new TransportError("NETWORK_ERROR", full, { cause: outcome.cause }),
        };
      }
      return {
        synced: false,
        status: undefined,
        retryable: true,
        code: "NETWORK_ERROR",
        message: `Could not reach ${receiver} at ${context.shownUrl} to send ${event} ${id} (${reason}; ${plural(outcome.attempts, "attempt")} made). Check baseUrl and that the receiver is up.`,
        fail: (full) => new TransportError("NETWORK_ERROR", full, { cause: outcome.cause }),
      };
    }
    case "aborted": {
      const timedOut = outcome.reason instanceof DOMException && outcome.reason.name === "TimeoutError";
      const code = timedOut ? "TIMEOUT" : "NETWORK_ERROR";
      return {
        synced: false,
        status: undefined,
        // The caller stopped it on purpose: it is theirs to resend, not the queue's.
        retryable: false,
        code,
        message:
          `Sending ${event} ${id} to ${receiver} was aborted by the caller's signal after ${plural(outcome.attempts, "attempt")}; ` +
          `it may or may not have arrived. Resend it with the same id if it still has to be delivered.`,
        fail: (full) => new TransportError(code, full, { cause: outcome.reason }),
      };
    }
  }
}

/** An HTTP answer, judged by {@link judgeAnswer} and worded. */
function answered<E extends EventName>(outcome: Extract<RawOutcome, { kind: "answered" }>, context: OutcomeContext): Verdict<E> {
  const { event, id, receiver } = context;
  const { status } = outcome;
  const judged = judgeAnswer(event as E, outcome, { id, data: context.data as EventData<E> });
  switch (judged.kind) {
    case "success":
      return { synced: true, answer: judged.answer, status };
    case "invalid-answer": {
      const issues = judged.issues.map((issue) => ({ path: issue.path, message: context.scrub(issue.message) }));
      const message =
        judged.reason === "too-large"
          ? `${receiver} answered ${status} to ${event} ${id} with a body larger than ${MAX_ANSWER_BYTES} bytes, which was not read, ` +
            `so nothing confirms it was processed. A contract answer is { success: true, eventId, result }: check that baseUrl points at the webhook receiver.`
          : judged.reason === "not-json"
            ? `${receiver} answered ${status} to ${event} ${id} with a body that is not JSON, so nothing confirms it was processed. ` +
              `Check that baseUrl points at the webhook receiver and that it answers { success: true, eventId, result }.`
            : judged.reason === "other-event"
              ? `${receiver} answered ${status} to ${event} ${id} with a success for another event (${judged.answer.eventId}), ` +
                `so nothing confirms this one was processed. Check for a proxy or cache in front of the receiver.`
              : `${receiver} answered ${status} to ${event} ${id}, but not with the contract's success answer ` +
                `(${summarize(issues)}), so nothing confirms what it created. ` +
                `Fix the receiver so that a success names its record (type, id, status).`;
      return invalidAnswer(status, message, issues);
    }
    case "error-answer":
    case "unexpected-response":
      return refused(outcome, judged.kind === "error-answer" ? judged.answer : undefined, context);
  }
}

/** A non-2xx answer: the other side's error answer, or one without a contract body. */
function refused<E extends EventName>(
  outcome: Extract<RawOutcome, { kind: "answered" }>,
  answer: ErrorAnswer | undefined,
  context: OutcomeContext,
): Verdict<E> {
  const { event, id, receiver } = context;
  const { status } = outcome;
  const retryable = isRetryableStatus(status);
  const after = parseRetryAfter(outcome.retryAfter);
  const { maxRetryAfterMs, totalTimeoutMs } = context.policy;
  const asked = after === undefined ? "" : ` It asked to be retried after ${Math.ceil(after / 1000)} s`;
  const waitNote =
    after === undefined || !retryable
      ? ""
      : after > maxRetryAfterMs
        ? `${asked}, longer than retry.maxRetryAfterMs (${maxRetryAfterMs} ms), so this send did not wait.`
        : after >= totalTimeoutMs - outcome.elapsedMs
          ? `${asked}, longer than what was left of retry.totalTimeoutMs (${totalTimeoutMs} ms), so this send did not wait.`
          : "";
  if (answer) {
    const { code } = answer.error;
    const issues = answer.error.issues?.map((issue) => ({ path: issue.path, message: context.scrub(issue.message) }));
    const message =
      `${receiver} refused ${event} ${id} with ${status} ${code}: ${clip(context.scrub(answer.error.message))}${waitNote}` +
      (retryable ? "" : " Not retried: the same event would be refused again until that is fixed.");
    return {
      synced: false,
      status,
      retryable,
      code,
      ...(after !== undefined && { retryAfterMs: after }),
      message,
      fail: (full) => new RemoteError(code, full, { status, issues }),
    };
  }
  const kind = outcome.contentType ? outcome.contentType.split(";")[0]!.trim() : "no content type";
  const why =
    status >= 300 && status < 400
      ? " Redirects are not followed: set baseUrl to the receiver's final URL."
      : retryable
        ? " The receiver (or a gateway in front of it) is failing."
        : " Check that baseUrl points at the webhook receiver, and the bearer token if the gateway demands one.";
  return {
    synced: false,
    status,
    retryable,
    code: "UNEXPECTED_RESPONSE",
    ...(after !== undefined && { retryAfterMs: after }),
    message: `${receiver} answered ${event} ${id} with HTTP ${status} and a body that is not a contract error answer (${kind}).${why}${waitNote}`,
    fail: (full) => new UnexpectedResponseError(status, full),
  };
}

/** The runtime's reason for a network failure (e.g. ECONNREFUSED), without quoting anything else. */
function networkReason(cause: unknown): string {
  if (cause instanceof AnswerReadError) return networkReason(cause.cause);
  const inner = (cause as { cause?: unknown } | undefined)?.cause ?? cause;
  const code = (inner as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && /^[A-Z_]{2,40}$/.test(code)) return code;
  return cause instanceof Error ? cause.name : "network failure";
}

/** Shortens text from the other side before it goes into a message. */
function clip(text: string, max = 500): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
