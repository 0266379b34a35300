import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { emitterGaps } from "./direction.js";
import { checkCompat } from "./check.js";
import type { ContractSides, JsonSchema } from "./sides.js";

const ajv = new Ajv2020({ strict: false, validateFormats: false });
const valid = (schema: JsonSchema, value: unknown) => ajv.validate(schema, value) as boolean;

/** Each gap must hold: its counterexample passes the emitter and fails the acceptor. */
function gaps(emitted: JsonSchema, accepted: JsonSchema) {
  const found = emitterGaps(emitted, accepted);
  for (const gap of found) {
    expect(valid(emitted, gap.counterexample)).toBe(true);
    expect(valid(accepted, gap.counterexample)).toBe(false);
  }
  return found;
}
const object = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({ type: "object", properties, required });

describe("emitterGaps: what an emitter may send that an acceptor refuses", () => {
  it("narrowing a bound breaks the emitter; widening it breaks nobody", () => {
    const wide = object({ items: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 500 } });
    const narrow = object({ items: { type: "array", items: { type: "string" }, minItems: 1, maxItems: 100 } });
    const found = gaps(wide, narrow);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: "items", rule: expect.stringContaining("101 items") });
    expect((found[0]!.counterexample as { items: unknown[] }).items).toHaveLength(101);
    expect(gaps(narrow, wide)).toEqual([]);
  });

  it("minItems raised by the acceptor", () => {
    const found = gaps({ type: "array", items: { type: "integer" }, minItems: 0 }, { type: "array", items: { type: "integer" }, minItems: 1 });
    expect(found.map((gap) => gap.counterexample)).toEqual([[]]);
    expect(gaps({ type: "array", items: { type: "integer" }, minItems: 1 }, { type: "array", items: { type: "integer" } })).toEqual([]);
  });

  it("string length and number bounds, in one direction only", () => {
    expect(gaps({ type: "string", maxLength: 10 }, { type: "string", maxLength: 5 })[0]!.counterexample).toHaveLength(6);
    expect(gaps({ type: "string", maxLength: 5 }, { type: "string", maxLength: 10 })).toEqual([]);
    expect(gaps({ type: "integer", minimum: 1 }, { type: "integer", minimum: 1, maximum: 9 }).map((g) => g.counterexample)).toEqual([10]);
    expect(gaps({ type: "integer", minimum: 1, maximum: 9 }, { type: "integer", minimum: 1 })).toEqual([]);
  });

  it("an enum value removed breaks its emitters; an added one breaks acceptors that lack it", () => {
    const before = { type: "string", enum: ["offered", "accepted"] };
    const after = { type: "string", enum: ["offered"] };
    expect(gaps(before, after).map((gap) => gap.counterexample)).toEqual(["accepted"]);
    expect(gaps(after, before)).toEqual([]);
  });

  it("a pattern replaced by a list: the emitter may send a string outside the list", () => {
    const found = gaps({ type: "string", pattern: "^[A-Z]{3}$" }, { type: "string", enum: ["NGN", "USD"] });
    expect(found).toHaveLength(1);
    expect(["NGN", "USD"]).not.toContain(found[0]!.counterexample);
    expect(gaps({ type: "string", enum: ["NGN", "USD"] }, { type: "string", pattern: "^[A-Z]{3}$" })).toEqual([]);
  });

  it("a narrowed pattern is found with a string that matches the old one only", () => {
    const zOnly = "^\\d{2}(Z)$";
    const offsets = "^\\d{2}(Z|[+-]\\d{2}:\\d{2})$";
    expect(gaps({ type: "string", pattern: offsets }, { type: "string", pattern: zOnly })).toHaveLength(1);
    expect(gaps({ type: "string", pattern: zOnly }, { type: "string", pattern: offsets })).toEqual([]);
  });

  it("a required key added breaks emitters that may leave it out; one made optional breaks nobody", () => {
    const loose = object({ a: { type: "string" }, b: { type: "string" } }, ["a"]);
    const strict = object({ a: { type: "string" }, b: { type: "string" } }, ["a", "b"]);
    const found = gaps(loose, strict);
    expect(found).toHaveLength(1);
    expect(found[0]!.path).toBe("b");
    expect(found[0]!.counterexample).not.toHaveProperty("b");
    expect(gaps(strict, loose)).toEqual([]);
  });

  it("nullability: a new null breaks acceptors that refuse it, never the other way", () => {
    const plain = object({ brief: { type: "string" } }, []);
    const nullable = object({ brief: { anyOf: [{ type: "string" }, { type: "null" }] } }, []);
    const found = gaps(nullable, plain);
    expect(found.map((gap) => gap.counterexample)).toEqual([{ brief: null }]);
    expect(gaps(plain, nullable)).toEqual([]);
  });

  it("a type change breaks in both directions, each with its own counterexample", () => {
    const asString = object({ n: { type: "string" } });
    const asNumber = object({ n: { type: "number" } });
    expect(typeof (gaps(asString, asNumber)[0]!.counterexample as { n: unknown }).n).toBe("string");
    expect(typeof (gaps(asNumber, asString)[0]!.counterexample as { n: unknown }).n).toBe("number");
    expect(gaps(object({ n: { type: "integer" } }), asNumber)).toEqual([]);
  });

  it("unknown keys refused by the acceptor only matter when the emitter may send them", () => {
    const closed = { ...object({ a: { type: "string" } }), additionalProperties: false };
    const open = object({ a: { type: "string" } });
    expect(gaps(open, closed)).toHaveLength(1);
    expect(gaps(closed, open)).toEqual([]);
  });

  it("differences that change nothing on the wire report nothing", () => {
    expect(gaps({ type: "string", description: "old words" }, { type: "string", description: "new words", title: "t" })).toEqual([]);
  });
});

describe("checkCompat: the direction of every question", () => {
  const message = (maxItems: number, status: string[]) => ({
    request: {
      emitted: object({ list: { type: "array", items: { type: "integer" }, maxItems } }),
      accepted: object({ list: { type: "array", items: { type: "integer" }, maxItems } }),
    },
    success: { emitted: object({ status: { enum: status } }), accepted: object({ status: { enum: status } }) },
  });
  const errors = (codes: string[]) => ({ emitted: object({ code: { enum: codes } }), accepted: object({ code: { enum: codes } }) });
  const contract = (maxItems: number, status: string[], codes: string[]): ContractSides => ({
    version: "x",
    events: { e: message(maxItems, status) },
    error: errors(codes),
  });

  it("a narrowed request breaks old senders; a narrowed answer breaks old receivers; a widened answer breaks old senders", () => {
    const report = checkCompat(contract(500, ["a", "b"], ["X"]), contract(100, ["a"], ["X", "NEW"]));
    const summary = report.breaking.map((b) => [b.message, b.direction, b.breaks, b.shipFirst, b.path]);
    expect(summary).toEqual([
      ["request", "old sender → new receiver", "old senders", "senders", "list"],
      ["success answer", "old receiver → new sender", "old receivers", "receivers", "status"],
      ["error answer", "new receiver → old sender", "old senders", "senders", "code"],
    ]);
  });

  it("the same changes reversed break the other sides", () => {
    const report = checkCompat(contract(100, ["a"], ["X", "NEW"]), contract(500, ["a", "b"], ["X"]));
    expect(report.breaking.map((b) => b.direction)).toEqual(["new sender → old receiver", "new receiver → old sender", "old receiver → new sender"]);
  });

  it("an event removed or added is reported", () => {
    const old = contract(1, ["a"], ["X"]);
    const current: ContractSides = { ...old, events: { f: message(1, ["a"]) } };
    expect(checkCompat(old, current).breaking.map((b) => [b.event, b.breaks, b.shipFirst])).toEqual([
      ["e", "old senders", "senders"],
      ["f", "old receivers", "receivers"],
    ]);
  });
});
