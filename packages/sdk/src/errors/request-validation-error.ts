import type { Issue } from "@dttracker-dobbletap/contracts";
import { guardFor, WebhookKitError } from "./webhook-kit-error.js";

/**
 * What you asked to send breaks the contract (`VALIDATION_FAILED`): the data, the `id` or
 * `occurredAt` option, the event name or the body's size. Thrown (a rejected promise) before any
 * request is made; `issues` lists each problem with its dotted path. Fix the data: sending it
 * again cannot help.
 *
 * @example
 * ```ts
 * try {
 *   await dobbletap.offerSent({ offer: { ...offer, amount: { currency: "NGN", amountMinor: 750.5 } } });
 * } catch (error) {
 *   if (isRequestValidationError(error)) console.error(error.issues); // [{ path: "data.offer.amount.amountMinor", … }]
 * }
 * ```
 */
export class RequestValidationError extends WebhookKitError {
  override readonly name = "RequestValidationError" as const;
  declare readonly code: "VALIDATION_FAILED";
  readonly issues: Issue[];

  constructor(message: string, issues: Issue[]) {
    super("VALIDATION_FAILED", message);
    this.issues = issues;
  }
}

/**
 * True for a {@link RequestValidationError}.
 *
 * @example
 * ```ts
 * if (isRequestValidationError(error)) for (const issue of error.issues) console.error(issue.path, issue.message);
 * ```
 */
export const isRequestValidationError = guardFor<RequestValidationError>("RequestValidationError");
