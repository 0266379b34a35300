import type { EndpointId, EventEnvelope, EventName, EventsAt } from "@dttracker-dobbletap/contracts";
import type { DedupStore } from "./dedup-store.js";
import type { HandlerContext, HandlerResult, WebhookHandlerOptions } from "./types.js";

/**
 * A transactional handler's context: the request's, plus `tx`, the transaction the answer will be
 * remembered in. Write through `tx` and the writes commit with the answer, or neither does.
 *
 * @example
 * ```ts
 * const offerSent: TransactionalEventHandler<"offer_sent", Queryable> = async ({ data: { offer } }, context: TransactionalContext<Queryable>) => {
 *   await context.tx.query("insert into creator_campaigns (offer_id, status) values ($1, 'offered')", [offer.id]);
 *   return { type: "offer", id: offer.id, status: "offered" };
 * };
 * ```
 */
export interface TransactionalContext<Tx> extends HandlerContext {
  /** Usable until the handler's promise settles; a query after that (or after the time bound) throws. */
  readonly tx: Tx;
}

/**
 * A handler of a transactional receiver: like `EventHandler`, with `tx` in its context.
 *
 * @example
 * ```ts
 * const offerSent: TransactionalEventHandler<"offer_sent", Queryable> = async ({ data }, { tx }) => {
 *   await tx.query("insert into offers (id) values ($1)", [data.offer.id]);
 *   return { type: "offer", id: data.offer.id, status: "offered" };
 * };
 * ```
 */
export type TransactionalEventHandler<K extends EventName, Tx> = (
  event: EventEnvelope<K>,
  context: TransactionalContext<Tx>,
) => HandlerResult<K> | Promise<HandlerResult<K>>;

/**
 * One transactional handler per accepted event.
 *
 * @example
 * ```ts
 * const handlers: TransactionalWebhookHandlers<"offer_accepted" | "offer_declined", Queryable> = { offer_accepted, offer_declined };
 * ```
 */
export type TransactionalWebhookHandlers<E extends EventName, Tx> = { [K in E]: TransactionalEventHandler<K, Tx> };

/**
 * Options of a transactional receiver: a dedup store whose claims carry a transaction (e.g.
 * `postgresDedupStore({ db })`), `transactional: true`, and handlers that get `tx`. A handler that
 * throws, times out, or whose process dies before the commit leaves no trace: no row it wrote, no
 * remembered id; the redelivery then runs for real.
 *
 * @example
 * ```ts
 * const handle = createWebhookHandler({
 *   endpoint: "dttracker.creator-sync",
 *   secrets,
 *   dedupStore: postgresDedupStore({ db }),
 *   transactional: true,
 *   handlers: {
 *     creators_synced: async ({ data }, { tx }) => {
 *       const synced = [];
 *       for (const creator of data.creators) {
 *         const row = await tx.query<{ id: string }>("insert into creators (handle) values ($1) returning id", [creator.handle]);
 *         synced.push({ dobbletapId: creator.dobbletapId, dttrackerId: row.rows[0]!.id });
 *       }
 *       return { synced, failed: [] };
 *     },
 *   },
 * });
 * ```
 */
export interface TransactionalWebhookHandlerOptions<P extends EndpointId, Tx>
  extends Omit<WebhookHandlerOptions<P>, "handlers" | "dedupStore" | "transactional"> {
  transactional: true;
  dedupStore: DedupStore<Tx> & { readonly transactional: true };
  handlers: TransactionalWebhookHandlers<EventsAt<P>, Tx>;
}
