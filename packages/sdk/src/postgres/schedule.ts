/**
 * Contract v1.1's retry schedule for durable delivery (Standard Webhooks' recommendation): after the
 * first attempt, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, each ±20%; then dead-letter.
 * Ten attempts over about three days, well inside a receiver's seven-day idempotency memory.
 *
 * @example
 * ```ts
 * retrySchedule.delaysMs[0]; // 5000: the wait after the first attempt
 * retrySchedule.maxAttempts; // 10
 * ```
 */
export const retrySchedule = Object.freeze({
  delaysMs: Object.freeze([
    5_000,
    5 * 60_000,
    30 * 60_000,
    2 * 3_600_000,
    5 * 3_600_000,
    10 * 3_600_000,
    14 * 3_600_000,
    20 * 3_600_000,
    24 * 3_600_000,
  ]) as readonly number[],
  /** Each delay is multiplied by a factor drawn from [1 − jitter, 1 + jitter]. */
  jitter: 0.2,
  /** The first attempt plus one per delay. */
  maxAttempts: 10,
});

/**
 * The wait before the next attempt after attempt number `tries` (1 for the first) failed, or
 * `undefined` when that was the last one (dead-letter). A `Retry-After` (ms) replaces the delay when
 * it is later. `random` is a number in [0, 1) (injectable for tests).
 *
 * @example
 * ```ts
 * nextDelayMs(1, { random: () => 0.5 }); // 5000 (no jitter at the midpoint)
 * nextDelayMs(1, { random: () => 0.5, retryAfterMs: 120_000 }); // 120000
 * nextDelayMs(10, { random: Math.random }); // undefined: dead
 * ```
 */
export function nextDelayMs(tries: number, options: { random: () => number; retryAfterMs?: number | undefined }): number | undefined {
  const base = retrySchedule.delaysMs[tries - 1];
  if (base === undefined) return undefined;
  const factor = 1 + retrySchedule.jitter * (2 * options.random() - 1);
  const delay = Math.round(base * factor);
  return options.retryAfterMs !== undefined && options.retryAfterMs > delay ? options.retryAfterMs : delay;
}
