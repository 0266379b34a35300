import { errorCodes, type ErrorCode, type Issue } from "@dttracker-dobbletap/contracts";
import { guardFor, WebhookKitError } from "./webhook-kit-error.js";

/**
 * An answer with a contract error code. Throw it from a receiver handler to answer with that code
 * (`CAMPAIGN_NOT_FOUND` → 404, `INVALID_STATE` → 409, …); a sender reports the other side's error
 * answer as one (`source: "remote"`).
 *
 * @example
 * ```ts
 * createWebhookHandler({ secrets, handlers: {
 *   offer_sent: async ({ data }) => {
 *     if (!(await campaigns.has(data.offer.campaignId)))
 *       throw new ContractError("CAMPAIGN_NOT_FOUND", `Campaign ${data.offer.campaignId} is not known here. Send campaign_created first.`);
 *     return { type: "offer", id: await offers.create(data.offer), status: "offered" };
 *   },
 * } });
 * ```
 */
export class ContractError extends WebhookKitError {
  declare readonly code: ErrorCode;
  /** The HTTP status of the code in the contract's table (or the status actually received). */
  readonly status: number;
  readonly issues: Issue[] | undefined;
  readonly source: "local" | "remote";

  constructor(
    code: ErrorCode,
    message: string,
    options: { issues?: Issue[]; status?: number; source?: "local" | "remote"; cause?: unknown } = {},
  ) {
    super(code, message, { cause: options.cause });
    this.name = "ContractError";
    // A code outside the table (a JavaScript caller's typo) must not look up `constructor` or `__proto__`.
    this.status = options.status ?? (Object.hasOwn(errorCodes, code) ? errorCodes[code].status : 500);
    this.issues = options.issues;
    this.source = options.source ?? "local";
  }
}

/**
 * True for a {@link ContractError}.
 *
 * @example
 * ```ts
 * if (isContractError(sent.failure) && sent.failure.code === "CAMPAIGN_NOT_FOUND") await dobbletap.campaignCreated(campaign);
 * ```
 */
export const isContractError = guardFor<ContractError>("ContractError");
