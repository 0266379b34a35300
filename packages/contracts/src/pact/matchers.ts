import { MatchersV3 } from "@pact-foundation/pact";
import * as z from "zod";

/** A JSON Schema node, as zod's `toJSONSchema` writes it. */
interface SchemaNode {
  $ref?: string;
  $defs?: Record<string, SchemaNode>;
  type?: string | string[];
  format?: string;
  pattern?: string;
  const?: unknown;
  enum?: unknown[];
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
}

// Pact's matchers run in Rust: keep the regexes simple and portable.
const ISO_UTC = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z$";
/** `value` as a regular expression that matches it literally. */
export const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Turns an example into Pact matchers using the schema it belongs to, so a pact pins shapes and
 * formats (uuid, ISO timestamps, integer minor units, enums) rather than the example's values.
 * Only fields present in the example appear; `const` values (event names, `success`) stay exact, and
 * so do the values of the keys named in `exact` (e.g. an error `code`, a result `status`).
 *
 * @example
 * ```ts
 * const pact = new PactV4({ consumer: "DTTracker", provider: "Dobbletap" });
 * const interaction = pact
 *   .addInteraction()
 *   .uponReceiving("an offer_sent event")
 *   .withRequest("POST", endpoints["dobbletap.webhooks"].path, (request) => {
 *     request.jsonBody(matchersFor(events.offer_sent.envelope, events.offer_sent.example));
 *   });
 * ```
 */
export function matchersFor(schema: z.ZodType, example: unknown, options: { exact?: readonly string[] } = {}): unknown {
  const exact = new Set(options.exact ?? []);
  const root = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as SchemaNode;
  const resolve = (node: SchemaNode): SchemaNode => (node.$ref ? resolve(root.$defs?.[node.$ref.replace("#/$defs/", "")] ?? {}) : node);

  const walk = (rawNode: SchemaNode, value: unknown): unknown => {
    const node = resolve(rawNode);
    const alternatives = node.anyOf ?? node.oneOf;
    if (alternatives) {
      // The first alternative that describes the example's shape (e.g. a `type` const that matches).
      const fits = alternatives.map(resolve).find((candidate) => {
        if (!candidate.properties || typeof value !== "object" || value === null) return candidate.type !== "object";
        return Object.entries(candidate.properties).every(([key, property]) => {
          const resolved = resolve(property);
          return resolved.const === undefined || (value as Record<string, unknown>)[key] === resolved.const;
        });
      });
      return fits ? walk(fits, value) : MatchersV3.like(value);
    }
    if (node.const !== undefined) return value;
    if (node.enum) return MatchersV3.regex(`^(${node.enum.map((item) => escapeRegExp(String(item))).join("|")})$`, String(value));
    if (Array.isArray(value)) {
      const [first] = value;
      return first === undefined ? [] : MatchersV3.eachLike(walk(node.items ?? {}, first), 1);
    }
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, exact.has(key) ? item : walk(node.properties?.[key] ?? {}, item)]));
    }
    if (typeof value === "string") {
      if (node.format === "uuid") return MatchersV3.uuid(value);
      if (node.format === "date-time") return MatchersV3.regex(ISO_UTC, value);
      // A schema's own pattern (currency codes, handles) when Pact's Rust regex can take it.
      if (node.pattern && !/\(\?[=!<]/.test(node.pattern)) return MatchersV3.regex(node.pattern, value);
      return MatchersV3.like(value);
    }
    if (typeof value === "number" && node.type === "integer") return MatchersV3.integer(value);
    return MatchersV3.like(value);
  };
  return walk(root, example);
}
