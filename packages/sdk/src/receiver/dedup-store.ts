import type { EventName, SuccessAnswer } from "@dttracker-dobbletap/contracts";

/**
 * What a receiver remembers about one delivery that succeeded: the body it answered, and the event.
 * Plain JSON, so any key-value store can hold it.
 *
 * @example
 * ```ts
 * const stored: StoredAnswer = {
 *   event: "offer_sent",
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
   * A fingerprint of the event's data: the same id with other data is refused (409) rather than
   * answered as a duplicate. Stores written before it existed may lack it.
   */
  digest?: string;
}

/**
 * Where a receiver remembers the ids it processed successfully, so a retry of the same `webhook-id`
 * is answered with the first answer and `duplicate: true` instead of doing the work twice.
 * Only successes are stored: a failure (e.g. a 404 because the campaign has not arrived yet) must be
 * retried for real. Implement it over Redis, Postgres or Deno KV to share it between instances;
 * either method may be async.
 *
 * @example
 * ```ts
 * const kvStore: DedupStore = {
 *   get: async (id) => (await kv.get<StoredAnswer>(["webhook", id])).value ?? undefined,
 *   set: async (id, answer) => { await kv.set(["webhook", id], answer, { expireIn: 86_400_000 }); },
 * };
 * createWebhookHandler({ secrets, handlers, dedupStore: kvStore });
 * ```
 */
export interface DedupStore {
  get(id: string): StoredAnswer | undefined | Promise<StoredAnswer | undefined>;
  set(id: string, answer: StoredAnswer): void | Promise<void>;
}

/**
 * Options for {@link createMemoryDedupStore}.
 *
 * @example
 * ```ts
 * const options: MemoryDedupStoreOptions = { ttlMs: 6 * 60 * 60 * 1000, maxEntries: 10_000 };
 * ```
 */
export interface MemoryDedupStoreOptions {
  /** How long an id is remembered. Default 24 hours: longer than any sender's retry schedule. */
  ttlMs?: number;
  /** The most ids kept; beyond it the oldest are forgotten first. Default 100 000. */
  maxEntries?: number;
  /** The clock, in milliseconds; for tests. */
  now?: () => number;
}

/**
 * The in-process store: a {@link DedupStore} that can also forget an id (what
 * `createProviderStates` needs to verify a deployment more than once).
 *
 * @example
 * ```ts
 * const dedupStore: MemoryDedupStore = createMemoryDedupStore();
 * dedupStore.forget("e7e47000-0000-4000-8000-000000000001");
 * ```
 */
export interface MemoryDedupStore extends DedupStore {
  /** Forgets one id: its next delivery is processed again. */
  forget(id: string): void;
}

interface Entry {
  answer: StoredAnswer;
  expiresAt: number;
}

/**
 * An in-process {@link DedupStore} with a time to live and a size bound (oldest evicted first).
 * Enough for one long-lived process (a Node server, the mock server); an Edge Function that scales
 * to several instances needs a shared store.
 *
 * @example
 * ```ts
 * const handle = createWebhookHandler({ secrets, handlers, dedupStore: createMemoryDedupStore({ ttlMs: 3_600_000 }) });
 * ```
 */
export function createMemoryDedupStore(options: MemoryDedupStoreOptions = {}): MemoryDedupStore {
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  if (!(ttlMs > 0) || !Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError("createMemoryDedupStore needs ttlMs > 0 and maxEntries ≥ 1.");
  }
  // A Map iterates in insertion order, and with one TTL for all, insertion order is expiry order:
  // the oldest entry is always the first key, so eviction and sweeping are O(1) per entry.
  const entries = new Map<string, Entry>();

  const sweep = (at: number) => {
    for (const [id, entry] of entries) {
      if (entry.expiresAt > at) break;
      entries.delete(id);
    }
  };

  return {
    get(id) {
      const entry = entries.get(id);
      if (entry === undefined) return undefined;
      if (entry.expiresAt <= now()) {
        entries.delete(id);
        return undefined;
      }
      return entry.answer;
    },
    set(id, answer) {
      const at = now();
      sweep(at);
      // Re-inserting moves the id to the end, keeping the map ordered by expiry.
      entries.delete(id);
      entries.set(id, { answer, expiresAt: at + ttlMs });
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (!oldest.done) entries.delete(oldest.value);
      }
    },
    forget(id) {
      entries.delete(id);
    },
  };
}
