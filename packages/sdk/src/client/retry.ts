import { isHTTPError, isNetworkError, isTimeoutError, type RetryOptions } from "ky";
import { isContractError } from "../errors/contract-error.js";
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

/**
 * The retryable statuses ky checks itself (the rest of 5xx is let through by `shouldRetry`). Kept
 * short on purpose: ky copies this list several times per request.
 */
const COMMON_RETRYABLE_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

/** Statuses whose `Retry-After` is honoured (the receiver tells us when it can take the event). */
const RETRY_AFTER_STATUSES: readonly number[] = [429, 503];

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
 * failures and retryable statuses. Contract errors (4xx) and invalid answers are final.
 *
 * @example
 * ```ts
 * if (!sent.success && isRetryableFailure(sent.failure)) await outbox.save(sent.eventId);
 * ```
 */
export function isRetryableFailure(failure: unknown): boolean {
  if (isTransportError(failure)) return true;
  if (isContractError(failure) || isUnexpectedResponseError(failure)) return isRetryableStatus(failure.status);
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
  const policy: RetryPolicy =
    retry === false ? { ...defaultRetryPolicy, attempts: 1 } : { ...defaultRetryPolicy, ...definedFields(retry ?? {}) };
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
  // ky refuses timeouts above 2^31-1 ms; an "infinite" bound is written as that.
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
  // The cap is applied here, before ky's full jitter picks a point in [0, delay): with the cap only
  // in `backoffLimit` (applied after jitter) late retries would all land exactly on the cap.
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (retryCount - 1));
}

/** What {@link kyRetryOptions} needs to know about the send in progress. */
export interface RetryContext {
  /** When the send started (`performance.now()` clock). */
  startedAt: number;
  /** The caller's signal: an abort is never retried. */
  signal: AbortSignal | undefined;
}

/**
 * Translates a policy into ky's retry options: POST is retried (it is idempotent here, by
 * `webhook-id`), on network errors, timeouts, 408, 429 and 5xx; `Retry-After` on 429/503 is
 * honoured, unless it is longer than `maxRetryAfterMs` or than the time left, in which case the send
 * gives up at once rather than waiting for nothing.
 *
 * @example
 * ```ts
 * ky.post(url, { body, retry: kyRetryOptions(policy, { startedAt: performance.now(), signal: undefined }) });
 * ```
 */
export function kyRetryOptions(policy: RetryPolicy, context: RetryContext): RetryOptions {
  return {
    limit: policy.attempts - 1,
    methods: ["post"],
    statusCodes: [...COMMON_RETRYABLE_STATUSES],
    afterStatusCodes: [...RETRY_AFTER_STATUSES],
    maxRetryAfter: policy.maxRetryAfterMs,
    backoffLimit: policy.maxDelayMs,
    delay: (retryCount) => backoffDelay(policy, retryCount),
    jitter: true,
    retryOnTimeout: true,
    shouldRetry: ({ error }) => {
      if (context.signal?.aborted) return false;
      if (isHTTPError(error)) {
        const { status, headers } = error.response;
        // Every 5xx may pass later (ky's list only names the common ones); any other 4xx is the
        // receiver saying the event itself is wrong (a contract error): sending it again cannot help.
        if (!RETRY_AFTER_STATUSES.includes(status)) return isRetryableStatus(status);
        const wait = parseRetryAfter(headers.get("retry-after"));
        if (wait === undefined) return undefined;
        const left = policy.totalTimeoutMs - (performance.now() - context.startedAt);
        // Waiting longer than allowed, or past the total bound, only delays the hand-off to the queue.
        return wait > policy.maxRetryAfterMs || wait >= left ? false : undefined;
      }
      if (isTimeoutError(error) || isNetworkError(error)) return undefined;
      // Anything else came out of `fetch` itself (a runtime whose network error ky does not
      // recognise, or a custom fetch): treat it as a network failure.
      return true;
    },
  };
}
