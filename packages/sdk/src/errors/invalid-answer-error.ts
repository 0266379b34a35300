import type { Issue } from "@dttracker-dobbletap/contracts";
import { guardFor, WebhookKitError } from "./webhook-kit-error.js";

/**
 * An answer broke the contract (`INVALID_ANSWER`): a sender got a 2xx that is not the event's
 * success answer for this id (a bare "ok", a result that names no record, another event's id), or
 * a receiver's handler returned such a result (reported to `onError`; the receiver answers 500).
 * Like ky's `SchemaValidationError`, it is not a transport failure: the request worked, the answer
 * did not. Nothing confirms the event was processed; it is fixed on the answering side.
 *
 * @example
 * ```ts
 * if (isInvalidAnswerError(sent.failure)) console.error(sent.failure.status, sent.failure.issues);
 * ```
 */
export class InvalidAnswerError extends WebhookKitError {
  override readonly name = "InvalidAnswerError" as const;
  declare readonly code: "INVALID_ANSWER";
  /** What is wrong with the answer, each with its dotted path. */
  readonly issues: Issue[];
  /** The HTTP status the answer came with; undefined for a handler's result the receiver did not send. */
  readonly status: number | undefined;
  /** On a receiver: the event whose handler returned the result; undefined on a sender. */
  readonly event: string | undefined;

  constructor(message: string, issues: Issue[], options: { status?: number | undefined; event?: string | undefined } = {}) {
    super("INVALID_ANSWER", message);
    this.issues = issues;
    this.status = options.status;
    this.event = options.event;
  }
}

/**
 * True for an {@link InvalidAnswerError}.
 *
 * @example
 * ```ts
 * if (isInvalidAnswerError(error)) for (const issue of error.issues) console.error(issue.path, issue.message);
 * ```
 */
export const isInvalidAnswerError = guardFor<InvalidAnswerError>("InvalidAnswerError");
