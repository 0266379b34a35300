// The receiver and the sender parse through compiled schemas (parse.ts `compiled`, zod's
// `z.compile`). A generated parser that accepted what the runtime refuses, built another output, or
// reported other issues would change the contract's answers: here both parse every event's
// envelope, data and success answer, on the valid example and on a mutation at every field.
import type * as z from "zod";
import { describe, expect, it } from "vitest";
import { ErrorAnswer } from "./errors.js";
import { eventNames, events, type EventName } from "./events/index.js";
import { contractInteractions } from "./pact/index.js";
import { compiled } from "./parse.js";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The example, and for every field (at any depth) the example with it removed or of a wrong kind. */
function casesFrom(valid: Json): Json[] {
  const cases: Json[] = [valid, null, [], "text", {}];
  const wrong: Json[] = [null, 1.5, -1, "", "not-a-uuid", true, {}, [], "2026-13-45T99:00:00Z"];
  const visit = (value: Json, edit: (replacement: Json | undefined) => Json) => {
    for (const replacement of wrong) cases.push(edit(replacement));
    if (Array.isArray(value)) {
      cases.push(edit([...value, ...value]));
      for (const [index, item] of value.entries()) {
        visit(item, (replacement) => {
          const copy = [...value];
          if (replacement === undefined) copy.splice(index, 1);
          else copy[index] = replacement;
          return edit(copy);
        });
      }
    } else if (typeof value === "object" && value !== null) {
      cases.push(edit({ ...value, unexpected: "field" }));
      for (const key of Object.keys(value)) {
        cases.push(edit(Object.fromEntries(Object.entries(value).filter(([other]) => other !== key))));
        visit(value[key]!, (replacement) => edit({ ...value, [key]: replacement as Json }));
      }
    }
  };
  visit(valid, (replacement) => (replacement === undefined ? null : structuredClone(replacement)));
  return cases;
}

function agree(schema: z.ZodType, inputs: Json[]): { valid: number; invalid: number } {
  const fast = compiled(schema);
  // A schema zod could not compile comes back as itself, and this test would prove nothing.
  expect(fast).not.toBe(schema);
  let valid = 0;
  for (const input of inputs) {
    const runtime = schema.safeParse(structuredClone(input));
    const generated = fast.safeParse(structuredClone(input));
    expect(generated.success).toBe(runtime.success);
    if (runtime.success) {
      valid++;
      expect(generated.data).toStrictEqual(runtime.data);
    } else {
      expect(generated.error?.issues).toStrictEqual(runtime.error.issues);
    }
  }
  return { valid, invalid: inputs.length - valid };
}

const successBody = (name: EventName): Json => ({ success: true, eventId: events[name].example.id, result: events[name].exampleResult as Json });

describe("compiled(schema) parses exactly as the runtime schema", () => {
  it.each(eventNames)("%s envelope and data: same outputs and same issues on the example and its mutations", (name) => {
    const envelope = agree(events[name].envelope, casesFrom(events[name].example as Json));
    const data = agree(events[name].data, casesFrom(events[name].example.data as Json));
    // Both kinds of input were exercised, not only refusals.
    expect(Math.min(envelope.valid, data.valid, envelope.invalid, data.invalid)).toBeGreaterThan(0);
  });

  it.each(eventNames)("%s success answer: same outputs and same issues on a contract answer and its mutations", (name) => {
    const counts = agree(events[name].successAnswer, casesFrom(successBody(name)));
    expect(Math.min(counts.valid, counts.invalid)).toBeGreaterThan(0);
  });

  it("the error answer: same outputs and same issues", () => {
    const failure = contractInteractions().find((interaction) => interaction.response.status >= 400)!.response.body as Json;
    const counts = agree(ErrorAnswer, casesFrom(failure));
    expect(Math.min(counts.valid, counts.invalid)).toBeGreaterThan(0);
  });
});
