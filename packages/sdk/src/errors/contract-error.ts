import { errorCodes, type ErrorCode, type Issue } from "@dttracker-dobbletap/contracts";
import { guardFor, WebhookKitError } from "./webhook-kit-error.js";

/**
 * What a receiver handler throws to answer with a contract error code (`CAMPAIGN_NOT_FOUND` → 404,
 * `INVALID_STATE` → 409, …). A sender never reports one: the other side's error answer is a
 * {@link RemoteError}.
 *
 * @example
 * ```ts
 * const handle = createWebhookHandler({
 *   endpoint: "dttracker.webhooks",
 *   secrets: process.env.DOBBLETAP_WEBHOOK_SECRET!,
 *   handlers: {
 *     offer_accepted: async ({ data }) => {
 *       const offer = await offers.find(data.offerId);
 *       if (!offer) throw new ContractError("OFFER_NOT_FOUND", `Offer ${data.offerId} is not known here.`);
 *       if (offer.status !== "offered") throw new ContractError("INVALID_STATE", `Offer ${data.offerId} is ${offer.status}: only an offered offer can be accepted.`);
 *       await offers.accept(data.offerId);
 *       return { type: "offer", id: data.offerId, status: "accepted" };
 *     },
 *     offer_declined: async ({ data }) => ({ type: "offer", id: await offers.decline(data.offerId), status: "declined" }),
 *   },
 * });
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
