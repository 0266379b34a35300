/** What {@link withinTime} resolves to when the work did not settle in time. */
export const TIMED_OUT: unique symbol = Symbol("timed out");

/**
 * The work's result, or {@link TIMED_OUT} once `ms` passed first. The work is not stopped (a
 * promise cannot be): the caller gives up on it and answers; a late rejection is swallowed here.
 */
export function withinTime<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  work.catch(() => {});
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
