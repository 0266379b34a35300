/** Request headers as a `Headers` object or a plain record (node's, with lower-case keys). */
export type HeadersLike = Headers | Record<string, string | string[] | undefined>;

/**
 * Reads one header from a `Headers` object or node's record, where a repeated header comes as an
 * array: joined with `separator` (", " per HTTP; " " for `webhook-signature`, whose entries are
 * space-separated). `null` when absent. For code that wraps a receiver's `receive(delivery)`.
 *
 * @example
 * ```ts
 * const id = headerOf({ "webhook-id": "msg_1" }, "webhook-id"); // "msg_1"
 * ```
 */
export function headerOf(headers: HeadersLike, name: string, separator = ", "): string | null {
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name);
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  if (value === undefined) return null;
  return typeof value === "string" ? value : value.join(separator);
}
