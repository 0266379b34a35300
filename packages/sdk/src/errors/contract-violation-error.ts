import type { Issue } from "@dttracker-dobbletap/contracts";
import { guardFor, WebhookKitError } from "./webhook-kit-error.js";

/**
 * Data broke the contract: either what you are about to send (`source: "request"`, thrown before
 * any network call) or what the other side answered (`source: "answer"`, e.g. a 200 that names no
 * record). `issues` lists each problem with its dotted path.
 *
 * @example
 * ```ts
 * try {
 *   await dobbletap.offerSent({ offer: { ...offer, amount: { currency: "NGN", amountMinor: 750.5 } } });
 * } catch (error) {
 *   if (isContractViolationError(error)) console.error(error.issues); // [{ path: "data.offer.amount.amountMinor", … }]
 * }
 * ```
 */
export class ContractViolationError extends WebhookKitError {
  readonly issues: Issue[];
  readonly source: "request" | "answer";

  constructor(message: string, issues: Issue[], source: "request" | "answer") {
    super(source === "request" ? "VALIDATION_FAILED" : "INVALID_ANSWER", message);
    this.name = "ContractViolationError";
    this.issues = issues;
    this.source = source;
  }
}

/**
 * True for a {@link ContractViolationError}.
 *
 * @example
 * ```ts
 * if (isContractViolationError(error)) for (const issue of error.issues) console.error(issue.path, issue.message);
 * ```
 */
export const isContractViolationError = guardFor<ContractViolationError>("ContractViolationError");
