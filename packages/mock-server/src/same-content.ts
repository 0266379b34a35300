/**
 * Structural equality of two JSON values, ignoring key order and `undefined` members: the contract's
 * "same record, identical content" test. A record re-sent with keys in another order is the same record.
 *
 * @example
 * ```ts
 * sameContent({ a: 1, b: [2] }, { b: [2], a: 1 }); // true
 * sameContent({ a: 1 }, { a: 1, b: undefined });   // true
 * ```
 */
export function sameContent(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((value, index) => sameContent(value, other[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) if (!sameContent(left[key], right[key])) return false;
  return true;
}
