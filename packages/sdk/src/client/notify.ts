/**
 * Calls a logging hook; a throw (or a rejected promise) from it is swallowed: logging must not
 * change the outcome of a delivery.
 *
 * @example
 * ```ts
 * notify(hooks, "onResult", result);
 * ```
 */
export function notify<H extends object, K extends keyof H>(hooks: H, name: K, info: H[K] extends ((info: infer T) => void) | undefined ? T : never): void {
  const hook = hooks[name];
  if (typeof hook !== "function") return;
  try {
    // Called as a method, so hooks written as class methods keep their `this`.
    const returned: unknown = hook.call(hooks, info);
    if (returned instanceof Promise) returned.catch(() => undefined);
  } catch {
    // Ignored on purpose (see above).
  }
}
