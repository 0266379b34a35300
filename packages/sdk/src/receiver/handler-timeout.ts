/** The default bound on one handler call: well past a sender's 10 s attempt, short of a function's wall clock. */
export const DEFAULT_HANDLER_TIMEOUT_MS = 25_000;

/**
 * A handler did not settle within `handlerTimeoutMs`: the request is answered 500 INTERNAL (the
 * sender retries with the same id) and this is passed to `onError`.
 */
export class HandlerTimeoutError extends Error {
  override readonly name = "HandlerTimeoutError";
  constructor(event: string, id: string, ms: number) {
    super(`The ${event} handler for ${id} did not finish within handlerTimeoutMs (${ms} ms); answered 500 INTERNAL.`);
  }
}

/**
 * Waits for a handler's promise at most `ms`; rejects with {@link HandlerTimeoutError} after that
 * (the handler itself cannot be stopped, and whatever it returns later is dropped). A value that
 * is not a promise is returned at once, without a timer.
 *
 * @example
 * ```ts
 * const returned = await boundHandler(handler(event, context), 25_000, event.event, event.id);
 * ```
 */
export function boundHandler(returned: unknown, ms: number, event: string, id: string): unknown {
  if (!(returned instanceof Promise) && typeof (returned as { then?: unknown } | null)?.then !== "function") return returned;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new HandlerTimeoutError(event, id, ms)), ms);
    Promise.resolve(returned as PromiseLike<unknown>).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
