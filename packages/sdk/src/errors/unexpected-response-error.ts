import { guardFor, WebhookKitError } from "./webhook-kit-error.js";

/**
 * A sender got an answer that is neither a contract success nor a contract error (e.g. a proxy's
 * HTML 502 page); `status` is the HTTP status received.
 *
 * @example
 * ```ts
 * if (isUnexpectedResponseError(sent.failure)) console.warn(sent.failure.status);
 * ```
 */
export class UnexpectedResponseError extends WebhookKitError {
  override readonly name = "UnexpectedResponseError" as const;
  declare readonly code: "UNEXPECTED_RESPONSE";
  readonly status: number;

  constructor(status: number, message: string) {
    super("UNEXPECTED_RESPONSE", message);
    this.status = status;
  }
}

/**
 * True for an {@link UnexpectedResponseError}.
 *
 * @example
 * ```ts
 * if (isUnexpectedResponseError(error)) console.warn(error.status);
 * ```
 */
export const isUnexpectedResponseError = guardFor<UnexpectedResponseError>("UnexpectedResponseError");
