const encoder = new TextEncoder();

/**
 * Prepares a bearer token for {@link bearerMatches}: encoded once, at start-up.
 *
 * @example
 * ```ts
 * const expected = expectedBearer(process.env.SUPABASE_ANON_KEY!);
 * ```
 */
export function expectedBearer(token: string): Uint8Array {
  if (typeof token !== "string" || token.length === 0 || /\s/.test(token)) {
    throw new TypeError("bearer.token must be a non-empty string without whitespace.");
  }
  return encoder.encode(token);
}

/**
 * True when an `Authorization` header is `Bearer <token>` with the expected token. The comparison
 * takes the same time wherever the tokens differ (and however long the given one is), so timing
 * reveals nothing about the token.
 *
 * @example
 * ```ts
 * const expected = expectedBearer(bearerToken);
 * if (!bearerMatches(request.headers.get("authorization"), expected)) console.warn("wrong or missing bearer token");
 * ```
 */
export function bearerMatches(header: string | null, expected: Uint8Array): boolean {
  if (header === null || header.length < 7 || header.slice(0, 7).toLowerCase() !== "bearer ") return false;
  const given = encoder.encode(header.slice(7).trim());
  // Loop over the expected length only; a length mismatch still costs a full pass.
  let difference = given.length ^ expected.length;
  for (let index = 0; index < expected.length; index++) difference |= (given[index] ?? 0) ^ expected[index]!;
  return difference === 0;
}
