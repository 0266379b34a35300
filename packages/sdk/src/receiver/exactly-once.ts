import type { ClaimOptions, DedupStore } from "./dedup-store.js";
import { createMemoryDedupStore } from "./memory-dedup-store.js";

/**
 * The default bound on one handler run: well under the 150 s after which Supabase ends a request,
 * so the sender gets the contract's retryable 500 rather than a gateway's timeout.
 */
export const DEFAULT_HANDLER_TIMEOUT_MS = 25_000;
/** How long a concurrent copy of an id waits for the first delivery's answer: under a sender's 10 s timeout. */
export const DEFAULT_DUPLICATE_WAIT_MS = 5_000;
/** Time beyond the handler bound for the answer's commit, before a lease may be taken over. */
const LEASE_MARGIN_MS = 5_000;
const MAX_TIMER_MS = 2_147_483_647;

/** The dedup/claim/transaction part of the receiver's options, checked once at creation. */
export interface OnceOptions {
  transactional: boolean;
  handlerTimeoutMs: number;
  claim: ClaimOptions;
  /** `Retry-After` (seconds) on the 500 of a copy that waited past its bound. */
  retryAfter: string;
}

/** What `createWebhookHandler` reads for exactly-once delivery (a subset of its options). */
export interface ExactlyOnceInput {
  dedupStore?: DedupStore<unknown>;
  transactional?: boolean;
  handlerTimeoutMs?: number;
  duplicateWaitMs?: number;
}

function milliseconds(name: string, value: number, min: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > MAX_TIMER_MS) {
    throw new RangeError(`${name} must be a whole number of milliseconds from ${min} to ${MAX_TIMER_MS}; got ${String(value)}.`);
  }
  return value;
}

/** Checks the options and picks the defaults; throws at creation, not per request. */
export function onceOptions(options: ExactlyOnceInput): { store: DedupStore<unknown>; once: OnceOptions } {
  const transactional = options.transactional ?? false;
  if (typeof transactional !== "boolean") throw new TypeError("transactional must be true or false.");
  const store = options.dedupStore ?? createMemoryDedupStore();
  if (typeof store !== "object" || store === null || typeof store.claim !== "function") {
    throw new TypeError(
      "dedupStore must implement the DedupStore contract (claim → complete/release), e.g. createMemoryDedupStore() or postgresDedupStore({ db }). " +
        "A store with only get/set cannot stop two concurrent deliveries of one id from both running the handler.",
    );
  }
  if (transactional && store.transactional !== true) {
    throw new TypeError(
      "transactional: true needs a dedupStore whose claims carry a transaction, e.g. postgresDedupStore({ db }) from " +
        "@dttracker-dobbletap/sdk/postgres (the in-memory store has none).",
    );
  }
  const handlerTimeoutMs = milliseconds("handlerTimeoutMs", options.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS, 1);
  const waitMs = milliseconds("duplicateWaitMs", options.duplicateWaitMs ?? DEFAULT_DUPLICATE_WAIT_MS, 0);
  return {
    store,
    once: {
      transactional,
      handlerTimeoutMs,
      claim: { waitMs, leaseMs: Math.min(MAX_TIMER_MS, handlerTimeoutMs + LEASE_MARGIN_MS) },
      // By then the first delivery has most likely answered; a sooner retry would only wait again.
      retryAfter: String(Math.max(1, Math.ceil(Math.max(waitMs, 1_000) / 1_000))),
    },
  };
}
