import {
  parseErrorAnswer,
  parseSuccessAnswer,
  type EventData,
  type EventName,
  type Issue,
  type SuccessAnswer,
} from "@dttracker-dobbletap/contracts";
import { ContractError } from "../errors/contract-error.js";
import { ContractViolationError } from "../errors/contract-violation-error.js";
import { TransportError } from "../errors/transport-error.js";
import { UnexpectedResponseError } from "../errors/unexpected-response-error.js";
import type { WebhookKitError } from "../errors/webhook-kit-error.js";
import type { RawOutcome } from "./deliver.js";
import { AnswerReadError, MAX_ANSWER_BYTES } from "./read-answer.js";
import { isRetryableStatus, parseRetryAfter, type RetryPolicy } from "./retry.js";

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
      code: string;
      /** What went wrong, without the advice on what happens next. */
      message: string;
      /** Builds the failure with the full message (what went wrong + what to do). */
      fail(message: string): WebhookKitError;
    };

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** Parses a body leniently: JSON when it is JSON, else `undefined`. */
function looseJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
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
    fail: (full) => new ContractViolationError(full, issues, "answer"),
  };
}

/**
 * Judges what happened on the wire against the contract. `synced` only for a 2xx whose body is the
 * event's success answer for this very id, naming the record: a bare "ok" created nothing that
 * anyone can see (production failure #5), so it is a failure.
 *
 * @example
 * ```ts
 * const verdict = judge(await deliver(transport, target), context);
 * if (verdict.synced) console.log(verdict.answer.result);
 * ```
 */
export function judge<E extends EventName>(outcome: RawOutcome, context: OutcomeContext): Verdict<E> {
  const { event, id, receiver } = context;
  switch (outcome.kind) {
    case "answered": {
      if (outcome.tooLarge) {
        return invalidAnswer(
          outcome.status,
          `${receiver} answered ${outcome.status} to ${event} ${id} with a body larger than ${MAX_ANSWER_BYTES} bytes, which was not read, ` +
            `so nothing confirms it was processed. A contract answer is { success: true, eventId, result }: check that baseUrl points at the webhook receiver.`,
          [{ path: "", message: `must be the JSON success answer, at most ${MAX_ANSWER_BYTES} bytes` }],
        );
      }
      const body = outcome.text === "" ? undefined : looseJson(outcome.text);
      if (body === undefined) {
        return invalidAnswer(
          outcome.status,
          `${receiver} answered ${outcome.status} to ${event} ${id} with a body that is not JSON, so nothing confirms it was processed. ` +
            `Check that baseUrl points at the webhook receiver and that it answers { success: true, eventId, result }.`,
          [{ path: "", message: "must be the JSON success answer { success, eventId, result }" }],
        );
      }
      const parsed = parseSuccessAnswer(event as E, body, context.data as EventData<E>);
      if (!parsed.success) {
        return invalidAnswer(
          outcome.status,
          `${receiver} answered ${outcome.status} to ${event} ${id}, but not with the contract's success answer ` +
            `(${context.scrub(summarize(parsed.issues))}), so nothing confirms what it created. ` +
            `Fix the receiver so that a success names its record (type, id, status).`,
          parsed.issues.map((issue) => ({ path: issue.path, message: context.scrub(issue.message) })),
        );
      }
      if (parsed.answer.eventId !== id) {
        return invalidAnswer(
          outcome.status,
          `${receiver} answered ${outcome.status} to ${event} ${id} with a success for another event (${parsed.answer.eventId}), ` +
            `so nothing confirms this one was processed. Check for a proxy or cache in front of the receiver.`,
          [{ path: "eventId", message: `must be the id that was sent (${id})` }],
        );
      }
      return { synced: true, answer: parsed.answer, status: outcome.status };
    }
    case "refused": {
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
      const answer = parseErrorAnswer(looseJson(outcome.data));
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
          message,
          fail: (full) => new ContractError(code, full, { status, source: "remote", ...(issues && { issues }) }),
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
        message: `${receiver} answered ${event} ${id} with HTTP ${status} and a body that is not a contract error answer (${kind}).${why}${waitNote}`,
        fail: (full) => new UnexpectedResponseError(status, full),
      };
    }
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
