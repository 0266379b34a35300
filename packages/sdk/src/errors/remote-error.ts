import type { ErrorCode, Issue } from "@dttracker-dobbletap/contracts";
import { guardFor, WebhookKitError } from "./webhook-kit-error.js";

/**
 * The other side answered with the contract's error answer (`{ success: false, error: { code, … } }`):
 * it received the event and refused it. `code` is its contract code, `status` the HTTP status it
 * answered with, `issues` what it listed (for `VALIDATION_FAILED`). A send reports it in
 * `failure`; it is retried only for a retryable status (`INTERNAL` 500, or a 429 or 5xx a gateway answered with a contract body).
 *
 * @example
 * ```ts
 * const sent = await dobbletap.offerSent(data);
 * if (isRemoteError(sent.failure) && sent.failure.code === "CAMPAIGN_NOT_FOUND") await dobbletap.campaignCreated(campaign);
 * ```
 */
export class RemoteError extends WebhookKitError {
  override readonly name = "RemoteError" as const;
  declare readonly code: ErrorCode;
  /** The HTTP status the other side answered with. */
  readonly status: number;
  /** The issues its answer listed, when it listed any. */
  readonly issues: Issue[] | undefined;

  constructor(code: ErrorCode, message: string, options: { status: number; issues?: Issue[] | undefined }) {
    super(code, message);
    this.status = options.status;
    this.issues = options.issues;
  }
}

/**
 * True for a {@link RemoteError}.
 *
 * @example
 * ```ts
 * if (isRemoteError(sent.failure)) console.warn(sent.failure.status, sent.failure.code);
 * ```
 */
export const isRemoteError = guardFor<RemoteError>("RemoteError");
