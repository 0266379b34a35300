import { describe, expect, it } from "vitest";
import { eventNames, events } from "./events/index.js";

// Each event's example result is the one home of the success results the pacts, the SDK's tests and
// the mock's tests answer with: it must be what the contract accepts for that event's example.
describe("every event's exampleResult", () => {
  it.each(eventNames)("%s: passes the result schema and says what relate() demands of the example", (name) => {
    const event = events[name];
    const parsed = event.result.safeParse(event.exampleResult);
    expect(parsed.error?.issues ?? []).toEqual([]);
    const data = event.data.parse(event.example.data);
    const relate = (event as { relate?: (data: unknown, result: unknown) => unknown[] }).relate;
    expect(relate?.(data, parsed.data) ?? []).toEqual([]);
  });

  it.each(eventNames)("%s: is accepted as the whole success answer for the example's id", (name) => {
    const answer = { success: true, eventId: events[name].example.id, result: events[name].exampleResult };
    expect(events[name].successAnswer.safeParse(answer).success).toBe(true);
  });
});
