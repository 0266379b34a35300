/**
 * The one owner of a send's retries and timeouts: the policy, and the loop that makes each attempt
 * under its own deadline, waits the backoff or the receiver's `Retry-After` between them, and stops
 * at the total bound or the caller's abort. It knows which bound ended an attempt because it set
 * them; ky, the transport of each attempt, is told to do none of this.
 */
import { isRemoteError } from "../errors/remote-error.js";
import { isTransportError } from "../errors/transport-error.js";
import { isUnexpectedResponseError } from "../errors/unexpected-response-error.js";

/**
 * How a sender retries one event before it gives up (and, if configured, hands it to a retry queue).
 * Every attempt carries the same `webhook-id`, so a receiver that already processed it answers the
 * same result with `duplicate: true`: retrying is safe.
 *
 * @example
 * ```ts
 * const dobbletap = createDobbletapClient({
 *   baseUrl, secret,
 *   retry: { attempts: 6, maxDelayMs: 15_000, totalTimeoutMs: 60_000 },
 * });
 * ```
 */
export interface RetryPolicy {
  /** Total attempts, the first included. `1` means no retry. Default 4. */
  attempts: number;
  /** The backoff before the first retry; it doubles each retry. Default 500 ms. */
  initialDelayMs: number;
  /** The ceiling of one backoff (before jitter picks a point below it). Default 8 000 ms. */
  maxDelayMs: number;
  /** Bounds the whole send: every attempt and every wait. Default 30 000 ms. */
  totalTimeoutMs: number;
  /**
   * The longest `Retry-After` (on 429 and 503) worth waiting for inside one send. A longer one is not
   * waited for: the send gives up at once and hands the event to the retry queue. Default 60 000 ms.
   */
  maxRetryAfterMs: number;
}

/**
 * The policy a client uses when `retry` is not given; a partial `retry` overrides field by field.
 *
 * @example
 * ```ts
 * createDttrackerClient({ baseUrl, secret, retry: { ...defaultRetryPolicy, attempts: 2 } });
 * ```
 */
export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
  attempts: 4,
  initialDelayMs: 500,
  maxDelayMs: 8_000,
  totalTimeoutMs: 30_000,
  maxRetryAfterMs: 60_000,
});

/** Statuses whose `Retry-After` is honoured (the receiver tells us when it can take the event). */
const RETRY_AFTER_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/**
 * True for an HTTP status that is retried (408, 429, 5xx).
 *
 * @example
 * ```ts
 * isRetryableStatus(503); // true
 * isRetryableStatus(422); // false: a contract error is never retried
 * ```
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * True when a send's `failure` could succeed if the same event is sent again later: transport
 * failures and retryable statuses. The other side's 4xx error answers and invalid answers are final.
 *
 * @example
 * ```ts
 * if (!sent.success && isRetryableFailure(sent.failure)) await outbox.save(sent.eventId);
 * ```
 */
export function isRetryableFailure(failure: unknown): boolean {
  if (isTransportError(failure)) return true;
  if (isRemoteError(failure) || isUnexpectedResponseError(failure)) return isRetryableStatus(failure.status);
  return false;
}

/**
 * Reads a `Retry-After` value (delay seconds or an HTTP date) as milliseconds from `nowMs`;
 * `undefined` when it is absent or unreadable.
 *
 * @example
 * ```ts
 * parseRetryAfter("2"); // 2000
 * parseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT", Date.now());
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * Fills a partial policy from the defaults and checks it; `false` means one attempt.
 *
 * @example
 * ```ts
 * resolveRetryPolicy({ attempts: 2 }); // { attempts: 2, initialDelayMs: 500, … }
 * ```
 */
export function resolveRetryPolicy(retry: Partial<RetryPolicy> | false | undefined): RetryPolicy {
  const policy: RetryPolicy = retry === false ? { ...defaultRetryPolicy, attempts: 1 } : { ...defaultRetryPolicy, ...definedFields(retry ?? {}) };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new RangeError(`retry.attempts must be a whole number ≥ 1 (total attempts, the first included); got ${policy.attempts}.`);
  }
  for (const field of ["initialDelayMs", "maxDelayMs", "totalTimeoutMs", "maxRetryAfterMs"] as const) {
    const value = policy[field];
    if (typeof value !== "number" || Number.isNaN(value) || value < 0) {
      throw new RangeError(`retry.${field} must be a number of milliseconds ≥ 0; got ${String(value)}.`);
    }
  }
  if (policy.totalTimeoutMs === 0) throw new RangeError("retry.totalTimeoutMs must be > 0: it bounds the whole send.");
  // Timers refuse delays above 2^31-1 ms; an "infinite" bound is written as that.
  policy.totalTimeoutMs = Math.min(policy.totalTimeoutMs, 2_147_483_647);
  return policy;
}

function definedFields(retry: Partial<RetryPolicy>): Partial<RetryPolicy> {
  return Object.fromEntries(Object.entries(retry).filter(([, value]) => value !== undefined));
}

/**
 * The backoff before retry `retryCount` (1 for the first retry), before jitter: exponential,
 * capped at `maxDelayMs`.
 *
 * @example
 * ```ts
 * backoffDelay(defaultRetryPolicy, 3); // 2000
 * ```
 */
export function backoffDelay(policy: RetryPolicy, retryCount: number): number {
  // Capped before full jitter picks a point in [0, delay): a cap after jitter would land every
  // late retry exactly on the cap.
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (retryCount - 1));
}

/** What one attempt got on the wire (see `attempt` in deliver.ts). */
export type AttemptOutcome =
  /** An HTTP answer, its body read. `tooLarge`: the body went past `MAX_ANSWER_BYTES` and `text` is empty. */
  | { kind: "answered"; status: number; text: string; tooLarge: boolean; retryAfter: string | null; contentType: string | null }
  /** fetch failed, or the answer's body could not be read whole (an `AnswerReadError`). */
  | { kind: "network"; cause: unknown }
  /** The attempt's signal fired; {@link withRetries} knows which bound it was. */
  | { kind: "aborted" };

/** What a whole send got on the wire, before it is judged against the contract. */
export type RawOutcome = { attempts: number; elapsedMs: number } & (
  | Extract<AttemptOutcome, { kind: "answered" | "network" }>
  /** `total`: `retry.totalTimeoutMs` ended the send; otherwise every attempt ran out of `timeoutMs`. */
  | { kind: "timeout"; total: boolean }
  | { kind: "aborted"; reason: unknown }
);

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Runs a send's attempts under `policy`. Each attempt gets a signal that aborts at `timeoutMs` or at
 * the total bound, whichever is first, or when the caller's `signal` aborts. Retried: network
 * failures, attempt timeouts, 408, 429 and 5xx (POST is idempotent here, by `webhook-id`). A
 * `Retry-After` on 429/503 is waited for, unless it is longer than `maxRetryAfterMs` or than the
 * time left: then the send gives up at once rather than waiting for nothing. Other waits are the
 * policy's backoff with full jitter.
 *
 * @example
 * ```ts
 * const outcome = await withRetries(policy, 10_000, undefined, async () => ({ kind: "network", cause: new Error("ECONNREFUSED") }));
 * ```
 */
export async function withRetries(
  policy: RetryPolicy,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  run: (attempt: number, signal: AbortSignal) => Promise<AttemptOutcome>,
): Promise<RawOutcome> {
  const startedAt = performance.now();
  const deadline = startedAt + policy.totalTimeoutMs;
  let attempts = 0;
  const end = <T extends object>(outcome: T) => ({ ...outcome, attempts, elapsedMs: performance.now() - startedAt });
  for (;;) {
    if (signal?.aborted) return end({ kind: "aborted" as const, reason: signal.reason });
    const left = deadline - performance.now();
    if (left <= 0) return end({ kind: "timeout" as const, total: true });
    attempts += 1;
    // One controller and one timer per attempt; `ended` records which bound fired.
    const controller = new AbortController();
    let ended: "attempt" | "total" | "caller" | undefined;
    const bound = left <= timeoutMs ? "total" : "attempt";
    const timer = setTimeout(
      () => {
        ended = bound;
        controller.abort(new DOMException(`The ${bound === "total" ? "send" : "attempt"} timed out.`, "TimeoutError"));
      },
      Math.min(timeoutMs, left),
    );
    const onAbort = () => {
      ended = "caller";
      controller.abort(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    let outcome: AttemptOutcome;
    try {
      outcome = await run(attempts, controller.signal);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    }

    let wait: number | undefined;
    if (outcome.kind === "aborted") {
      if (ended === "caller" || ended === undefined) return end({ kind: "aborted" as const, reason: signal?.reason });
      if (ended === "total") return end({ kind: "timeout" as const, total: true });
    } else if (outcome.kind === "answered") {
      const { status } = outcome;
      if ((status >= 200 && status < 300) || !isRetryableStatus(status)) return end(outcome);
      if (RETRY_AFTER_STATUSES.has(status)) {
        wait = parseRetryAfter(outcome.retryAfter);
        // Waiting longer than allowed, or past the total bound, only delays the hand-off to the queue.
        if (wait !== undefined && (wait > policy.maxRetryAfterMs || wait >= deadline - performance.now())) return end(outcome);
      }
    }
    const last = outcome.kind === "aborted" ? ({ kind: "timeout", total: false } as const) : outcome;
    if (attempts >= policy.attempts) return end(last);
    wait ??= Math.random() * backoffDelay(policy, attempts);
    const leftNow = deadline - performance.now();
    if (wait >= leftNow) {
      // The next attempt could not start within the bound: the bound ends the send.
      await sleep(leftNow, signal);
      if (signal?.aborted) return end({ kind: "aborted" as const, reason: signal.reason });
      return end({ kind: "timeout" as const, total: true });
    }
    await sleep(wait, signal);
  }
}
