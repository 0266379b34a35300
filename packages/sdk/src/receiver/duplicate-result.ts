// Symbol.for, so a result marked by one copy of the SDK is recognised by another (bundled twice).
const DUPLICATE: unique symbol = Symbol.for("@dttracker-dobbletap/sdk/duplicate-result") as never;

/**
 * A handler's result marked "this record already existed with identical content"; see {@link duplicateResult}.
 *
 * @example
 * ```ts
 * const marked: DuplicateResult<EventResult<"offer_sent">> = duplicateResult({ type: "offer", id, status: "offered" });
 * ```
 */
export interface DuplicateResult<R> {
  readonly [DUPLICATE]: true;
  readonly result: R;
}

/**
 * Marks a handler's result as "this record already existed with identical content": the contract's
 * answer to the same record (e.g. an `offer.id`) sent again under a new envelope id. The receiver
 * answers 200 with the existing record and `duplicate: true`. (A record with the same id and
 * *different* content is `throw new ContractError("INVALID_STATE", …)` instead.)
 *
 * @example
 * ```ts
 * const offerSent: EventHandler<"offer_sent"> = async ({ data: { offer } }) => {
 *   const existing = await offers.find(offer.id);
 *   if (existing && sameContent(existing, offer)) return duplicateResult({ type: "offer", id: existing.id, status: "offered" });
 *   if (existing) throw new ContractError("INVALID_STATE", `Offer ${offer.id} already exists with different content.`);
 *   return { type: "offer", id: await offers.create(offer), status: "offered" };
 * };
 * ```
 */
export function duplicateResult<R>(result: R): DuplicateResult<R> {
  return { [DUPLICATE]: true, result };
}

/**
 * True for a value made by {@link duplicateResult} (by any copy of the SDK).
 *
 * @example
 * ```ts
 * const result = isDuplicateResult(returned) ? returned.result : returned;
 * ```
 */
export function isDuplicateResult(value: unknown): value is DuplicateResult<unknown> {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[DUPLICATE] === true;
}
