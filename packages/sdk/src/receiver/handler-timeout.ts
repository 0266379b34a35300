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

/**
 * A handler did not settle within `handlerTimeoutMs`: the request was answered 500 INTERNAL (the
 * sender retries with the same id), the id released, and this is passed to `onError`.
 */
export class HandlerTimeoutError extends Error {
  override readonly name = "HandlerTimeoutError";
  constructor(event: string, ms: number) {
    super(`The ${event} handler did not finish within handlerTimeoutMs (${ms} ms); answered 500 and released the id so a retry can run.`);
  }
}
