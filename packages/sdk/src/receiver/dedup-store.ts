import type { EventName, SuccessAnswer } from "@dttracker-dobbletap/contracts";

/**
 * What a receiver remembers about one delivery that succeeded: the body it answered, the event and
 * a digest of the event's data. Plain JSON, so any store can hold it.
 *
 * @example
 * ```ts
 * const stored: StoredAnswer = {
 *   event: "offer_sent",
 *   digest: "sha256:q2bJ1v8ZtCwq3m7Jg0m4P5rS9xYk1HnL2aVbC3dE4fG",
 *   body: { success: true, eventId: envelope.id, result: { type: "offer", id: offerId, status: "offered" } },
 * };
 * ```
 */
export interface StoredAnswer {
  /** The event that was processed under this id. */
  event: EventName;
  /** The success body that was sent the first time (`{ success: true, eventId, result, duplicate? }`). */
  body: SuccessAnswer<EventName>;
  /**
   * A fingerprint of the event's data: the same id with other data is refused (409 `INVALID_STATE`)
   * rather than answered as a duplicate. Versioned, the same on every runtime: `sha256:<base64url>`
   * (SHA-256 of the validated data's JSON); a digest without a prefix was written by releases ≤ 0.1
   * and is still compared as such. Stores keep it as opaque text.
   */
  digest: string;
}

/**
 * What the receiver asks of {@link DedupStore.claim}.
 *
 * @example
 * ```ts
 * const claim = await store.claim("0b6f…", { waitMs: 5_000, leaseMs: 35_000 });
 * ```
 */
export interface ClaimOptions {
  /**
   * How long to wait while another delivery of the same id holds it, before giving up with
   * `{ status: "busy" }`. The receiver then answers 500 `INTERNAL` with `Retry-After`.
   */
  waitMs: number;
  /**
   * How long a claim may be held before the store may hand the id to another delivery: a holder
   * that vanished without completing or releasing (a crash) must not block the id for ever.
   */
  leaseMs: number;
}

/**
 * The right to process one id, held from {@link DedupStore.claim} until exactly one of `complete`
 * or `release`. Calling either a second time, or the other one after, does nothing.
 *
 * @example
 * ```ts
 * const claim = await store.claim(id, { waitMs: 5_000, leaseMs: 35_000 });
 * if (claim.status === "claimed") {
 *   try { await claim.lease.complete(await work(claim.lease.tx)); }
 *   catch (error) { await claim.lease.release(); throw error; }
 * }
 * ```
 */
export interface DedupLease<Tx = undefined> {
  /**
   * The transaction the claim lives in, for stores that have one: the handler's writes made
   * through it commit together with the answer in `complete`, or are rolled back by `release`.
   */
  readonly tx: Tx;
  /**
   * Remembers the answer of a success (for the store's retention). Resolves once it is durable; for
   * a transactional store, once the transaction committed. A rejection means nothing was remembered
   * (and, for a transactional store, nothing the handler wrote through `tx` was kept).
   */
  complete(answer: StoredAnswer): Promise<void>;
  /** Gives the id up after a failure (failures are never remembered): the next delivery can claim it. */
  release(): Promise<void>;
}

/**
 * The outcome of {@link DedupStore.claim}: this delivery holds the id now, or it succeeded before
 * (its answer is given back), or another delivery held it for longer than `waitMs`.
 *
 * @example
 * ```ts
 * const claim: Claim = await createMemoryDedupStore().claim(id, { waitMs: 5_000, leaseMs: 35_000 });
 * if (claim.status === "done") console.info("answered before:", claim.answer.body.result);
 * ```
 */
export type Claim<Tx = undefined> = { status: "claimed"; lease: DedupLease<Tx> } | { status: "done"; answer: StoredAnswer } | { status: "busy" };

/**
 * Where a receiver remembers the ids it processed successfully, so that a delivery of the same
 * `webhook-id` runs the handler at most once and is answered with the first answer and
 * `duplicate: true`. Correct under concurrency: {@link DedupStore.claim} is atomic (insert-if-absent
 * with a lease), so of two concurrent deliveries of one id exactly one is `claimed`; the other waits
 * (bounded) for its outcome. Only successes are remembered (`complete`); after a failure the id is
 * released and a retry runs for real.
 *
 * Stores: `createMemoryDedupStore()` (one process) and `postgresDedupStore({ db })` from
 * `@dttracker-dobbletap/sdk/postgres` (shared by every instance; transactional).
 *
 * @example
 * ```ts
 * const handle = createWebhookHandler({ endpoint: "dobbletap.webhooks", secrets, handlers, dedupStore: postgresDedupStore({ db }), transactional: true });
 * ```
 */
export interface DedupStore<Tx = undefined> {
  /**
   * True when each lease carries a transaction (`lease.tx`) that the answer commits in: required by
   * `createWebhookHandler({ transactional: true })`.
   */
  readonly transactional: boolean;
  /**
   * Atomically claims `id`: if no delivery of it succeeded (within the retention) and none holds it,
   * this one holds it now. If another holds it, waits up to `waitMs` for it to complete (→ `done`) or
   * release (→ claimed by this one), else `busy`.
   */
  claim(id: string, options: ClaimOptions): Promise<Claim<Tx>>;
}
