import type { Claim, ClaimOptions, DedupLease, DedupStore, StoredAnswer } from "./dedup-store.js";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The default bound of {@link createMemoryDedupStore}: a week of a busy integration. A busy week is
 * taken as an average of 1 event per second (86 400 a day, far above today's traffic): 604 800 ids,
 * rounded up to 700 000. Each remembered offer answer takes about 380 bytes of heap (measured on
 * Node 24 with 200 000 entries), so the bound is about 265 MB at most.
 *
 * @example
 * ```ts
 * createMemoryDedupStore({ maxEntries: MEMORY_DEDUP_MAX_ENTRIES / 10 }); // a small service
 * ```
 */
export const MEMORY_DEDUP_MAX_ENTRIES = 700_000;

/**
 * Options for {@link createMemoryDedupStore}.
 *
 * @example
 * ```ts
 * const options: MemoryDedupStoreOptions = { retentionDays: 7, maxEntries: 100_000 };
 * ```
 */
export interface MemoryDedupStoreOptions {
  /** How long a success is remembered. Default 7 (contract v1.1: at least 7 days). */
  retentionDays?: number;
  /**
   * The most ids kept; beyond it the oldest are forgotten first, before their retention, and one
   * line is logged the first time. Default {@link MEMORY_DEDUP_MAX_ENTRIES} (a week at 1 event/s, about 265 MB at most).
   */
  maxEntries?: number;
  /** The clock of the retention, in milliseconds; for tests. */
  now?: () => number;
  /** Where the one "bound reached" line goes. Default `console.warn`. */
  warn?: (message: string) => void;
}

interface Done {
  /** The answer as JSON text: about a third of the memory of the object it comes from. */
  json: string;
  expiresAt: number;
}

interface Held {
  /** When (performance.now()) the lease ends and another delivery may take the id over. */
  until: number;
  wake: Array<() => void>;
}

/**
 * The {@link DedupStore} contract in one process's memory: an atomic claim per id (a second
 * delivery of an id waits for the first), successes remembered for 7 days, a size bound (oldest
 * forgotten first). Enough for one long-lived process (a Node server, the mock server, tests).
 * Supabase Edge Functions run several short-lived instances, each with its own memory: there, use
 * `postgresDedupStore` from `@dttracker-dobbletap/sdk/postgres`.
 *
 * @example
 * ```ts
 * const handle = createWebhookHandler({ endpoint: "dttracker.webhooks", secrets, handlers, dedupStore: createMemoryDedupStore({ maxEntries: 50_000 }) });
 * ```
 */
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
  /** Forgets one remembered id: its next delivery is processed again. */
  forget(id: string): void;
}

export function createMemoryDedupStore(options: MemoryDedupStoreOptions = {}): MemoryDedupStore {
  const retentionDays = options.retentionDays ?? 7;
  const maxEntries = options.maxEntries ?? MEMORY_DEDUP_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  if (!(retentionDays > 0) || !Number.isFinite(retentionDays)) {
    throw new RangeError(`createMemoryDedupStore needs retentionDays > 0 (contract v1.1 asks for 7); got ${String(retentionDays)}.`);
  }
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`createMemoryDedupStore needs an integer maxEntries ≥ 1; got ${String(maxEntries)}.`);
  }
  const retentionMs = retentionDays * DAY_MS;
  // A Map iterates in insertion order, and with one retention for all, insertion order is expiry
  // order: the oldest entry is always the first key, so eviction and sweeping are O(1) per entry.
  const done = new Map<string, Done>();
  const held = new Map<string, Held>();
  let warned = false;

  const sweep = (at: number) => {
    for (const [id, entry] of done) {
      if (entry.expiresAt > at) break;
      done.delete(id);
    }
  };

  const remember = (id: string, answer: StoredAnswer) => {
    const at = now();
    sweep(at);
    done.delete(id);
    done.set(id, { json: JSON.stringify(answer), expiresAt: at + retentionMs });
    if (done.size > maxEntries) {
      const oldest = done.keys().next();
      if (!oldest.done) done.delete(oldest.value);
      if (!warned) {
        warned = true;
        warn(
          `[@dttracker-dobbletap/sdk] createMemoryDedupStore reached maxEntries (${maxEntries}): ids are now forgotten before ` +
            `their ${retentionDays} days, and a late retry of one would run its handler again. Raise maxEntries, or use ` +
            "postgresDedupStore from @dttracker-dobbletap/sdk/postgres.",
        );
      }
    }
  };

  const lookup = (id: string): StoredAnswer | undefined => {
    const entry = done.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now()) {
      done.delete(id);
      return undefined;
    }
    return JSON.parse(entry.json) as StoredAnswer;
  };

  const take = (id: string, leaseMs: number): DedupLease => {
    const mine: Held = { until: performance.now() + leaseMs, wake: [] };
    held.set(id, mine);
    let settled = false;
    const settle = (answer?: StoredAnswer) => {
      if (settled) return;
      settled = true;
      // After a lease expired and another delivery took the id over, the id is no longer ours to free.
      if (held.get(id) === mine) held.delete(id);
      if (answer !== undefined) remember(id, answer);
      for (const wake of mine.wake) wake();
    };
    return {
      tx: undefined,
      complete: async (answer) => settle(answer),
      release: async () => settle(),
    };
  };

  return {
    transactional: false,
    forget(id: string) {
      done.delete(id);
    },
    async claim(id: string, claimOptions: ClaimOptions): Promise<Claim> {
      const deadline = performance.now() + claimOptions.waitMs;
      for (;;) {
        const answer = lookup(id);
        if (answer !== undefined) return { status: "done", answer };
        const holder = held.get(id);
        const at = performance.now();
        if (holder === undefined || holder.until <= at) return { status: "claimed", lease: take(id, claimOptions.leaseMs) };
        const remaining = Math.min(deadline, holder.until) - at;
        if (deadline <= at) return { status: "busy" };
        // Woken when the holder completes or releases, or when the wait (or the lease) runs out.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.max(1, remaining));
          holder.wake.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}
