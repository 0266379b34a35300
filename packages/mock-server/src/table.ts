/**
 * The store's building blocks: a `Map` that reports every change to the indexes built on it, and a
 * one-to-many index. Because the table itself calls the hooks, an index cannot drift from its data
 * whoever edits the map (the rules, a provider state, a test calling `state.offers.delete`).
 */

/** What a {@link Table} tells its indexes. A replaced value is `removed`, then its successor `added`. */
export interface TableHooks<K, V> {
  added(key: K, value: V): void;
  removed(key: K, value: V): void;
}

/** One page of a table, in insertion order: `last` is the position to resume after, `more` whether any follow. */
export interface TablePage<V> {
  values: V[];
  last: number;
  more: boolean;
}

/**
 * A `Map` with change hooks and a stable position per key: each new key gets the next sequence
 * number, so `page(after)` resumes where an earlier page stopped even when older keys were deleted
 * in between. Replacing a key's value keeps its position (as a `Map` does).
 *
 * @example
 * ```ts
 * const byCampaign = new MultiIndex<string, string>();
 * const offers = new Table<string, Offer>({ added: (id, o) => byCampaign.add(o.campaignId, id), removed: (id, o) => byCampaign.delete(o.campaignId, id) });
 * ```
 */
export class Table<K, V> extends Map<K, V> {
  // Same keys in the same order as the map itself: a key is added here when new, deleted with it.
  readonly #positions = new Map<K, number>();
  #last = 0;
  readonly #hooks: TableHooks<K, V> | undefined;

  constructor(hooks?: TableHooks<K, V>) {
    super();
    this.#hooks = hooks;
  }

  override set(key: K, value: V): this {
    // Map's constructor calls set before the fields exist; it is never given entries here.
    const previous = super.get(key);
    if (previous !== undefined) this.#hooks?.removed(key, previous);
    else if (!super.has(key)) this.#positions.set(key, ++this.#last);
    super.set(key, value);
    this.#hooks?.added(key, value);
    return this;
  }

  override delete(key: K): boolean {
    const previous = super.get(key);
    if (!super.delete(key)) return false;
    this.#positions.delete(key);
    if (previous !== undefined) this.#hooks?.removed(key, previous);
    return true;
  }

  override clear(): void {
    if (this.#hooks) for (const [key, value] of this) this.#hooks.removed(key, value);
    super.clear();
    this.#positions.clear();
  }

  /** The first key (the oldest still held), if any. */
  oldest(): K | undefined {
    return this.keys().next().value;
  }

  /**
   * Up to `limit` values after position `after` (0: from the start). Skipping costs a number
   * comparison per earlier key, with no lookups: about a millisecond per 100 000 keys.
   */
  page(after: number, limit: number): TablePage<V> {
    const values: V[] = [];
    let last = after;
    for (const [key, position] of this.#positions) {
      if (position <= after) continue;
      if (values.length === limit) return { values, last, more: true };
      values.push(super.get(key) as V);
      last = position;
    }
    return { values, last, more: false };
  }
}

/**
 * A one-to-many index (`campaignId` → offer ids): sets are dropped when they empty, so the index
 * holds nothing for keys with no values.
 *
 * @example
 * ```ts
 * const offersByCampaign = new MultiIndex<string, string>();
 * offersByCampaign.add(campaignId, offerId);
 * for (const id of offersByCampaign.get(campaignId) ?? []) console.log(id);
 * offersByCampaign.delete(campaignId, offerId); // the last one: campaignId holds nothing now
 * ```
 */
export class MultiIndex<K, V> {
  readonly #sets = new Map<K, Set<V>>();

  add(key: K, value: V): void {
    const set = this.#sets.get(key);
    if (set) set.add(value);
    else this.#sets.set(key, new Set([value]));
  }

  delete(key: K, value: V): void {
    const set = this.#sets.get(key);
    if (!set) return;
    set.delete(value);
    if (set.size === 0) this.#sets.delete(key);
  }

  get(key: K): ReadonlySet<V> | undefined {
    return this.#sets.get(key);
  }

  clear(): void {
    this.#sets.clear();
  }
}
