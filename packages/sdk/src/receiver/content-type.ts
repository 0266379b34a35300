/**
 * True when a Content-Type header is `application/json`, with any parameters, as long as a `charset`
 * parameter (if any) names UTF-8: the contract's bodies are UTF-8 JSON and nothing else.
 *
 * @example
 * ```ts
 * isJsonContentType("application/json; charset=utf-8"); // true
 * isJsonContentType("application/json; charset=latin1"); // false
 * isJsonContentType("text/plain"); // false
 * ```
 */
export function isJsonContentType(value: string | null): boolean {
  if (value === null) return false;
  // The header every sender of this contract writes; skip the parsing below for it.
  if (value === "application/json" || value === "application/json; charset=utf-8") return true;
  const parts = value.split(";");
  if (parts[0]!.trim().toLowerCase() !== "application/json") return false;
  for (let index = 1; index < parts.length; index++) {
    const part = parts[index]!;
    const equals = part.indexOf("=");
    if (equals === -1 || part.slice(0, equals).trim().toLowerCase() !== "charset") continue;
    let charset = part.slice(equals + 1).trim();
    if (charset.length >= 2 && charset.startsWith('"') && charset.endsWith('"')) charset = charset.slice(1, -1);
    charset = charset.toLowerCase();
    if (charset !== "utf-8" && charset !== "utf8") return false;
  }
  return true;
}
