import { errorCodes, type ErrorCode, type Issue } from "@dttracker-dobbletap/contracts";
import { guardFor, WebhookKitError } from "./webhook-kit-error.js";

/**
 * What a receiver handler throws to answer with a contract error code (`CAMPAIGN_NOT_FOUND` → 404,
 * `INVALID_STATE` → 409, …). A sender never reports one: the other side's error answer is a
 * {@link RemoteError}.
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
  override readonly name = "ContractError" as const;
  declare readonly code: ErrorCode;
  /** The HTTP status the receiver answers with: the code's status in the contract's table, unless given. */
  readonly status: number;
  /** Each problem with its dotted path, sent in the error answer (`VALIDATION_FAILED`). */
  readonly issues: Issue[] | undefined;

  constructor(code: ErrorCode, message: string, options: { issues?: Issue[]; status?: number; cause?: unknown } = {}) {
    super(code, message, { cause: options.cause });
    // A code outside the table (a JavaScript caller's typo) must not look up `constructor` or `__proto__`.
    this.status = options.status ?? (Object.hasOwn(errorCodes, code) ? errorCodes[code].status : 500);
    this.issues = options.issues;
  }
}

/**
 * True for a {@link ContractError}.
 *
 * @example
 * ```ts
 * if (isContractError(error)) console.info("a handler answered", error.code, error.status);
 * ```
 */
export const isContractError = guardFor<ContractError>("ContractError");
