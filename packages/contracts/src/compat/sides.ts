/**
 * The two JSON Schemas of every message of the contract: what a sender EMITS (zod's output: `Z`
 * timestamps, no unknown keys) and what a receiver ACCEPTS (zod's input: offsets too). A
 * compatibility question always pairs one side's emitted schema with the other side's accepted one.
 */
import * as z from "zod";
import { ErrorAnswer } from "../errors.js";
import { eventNames, events, type EventName } from "../events/index.js";
import { buildJsonSchemas } from "../openapi.js";

/** A JSON Schema document (draft 2020-12), as plain JSON. */
export type JsonSchema = Record<string, unknown>;

/** One message in both forms. */
export interface MessageSides {
  /** What its sender may put on the wire. */
  emitted: JsonSchema;
  /** What its receiver must take. */
  accepted: JsonSchema;
}

/** Every message of one contract version: per event its request and its success answer; one error answer. */
export interface ContractSides {
  version: string;
  events: Record<string, { request: MessageSides; success: MessageSides }>;
  error: MessageSides;
}

/** The file names under `openapi/json-schema/` that hold each side (a future `--from` reads them back). */
export const sideFiles = {
  request: (event: string, side: keyof MessageSides) => `${event}.request.${side}.schema.json`,
  success: (event: string, side: keyof MessageSides) => `${event}.success.${side}.schema.json`,
  error: (side: keyof MessageSides) => `error-answer.${side}.schema.json`,
} as const;

function sides(schema: z.ZodType): MessageSides {
  return {
    emitted: z.toJSONSchema(schema, { target: "draft-2020-12", io: "output" }) as JsonSchema,
    accepted: z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" }) as JsonSchema,
  };
}

/**
 * Both sides of every message of the contract in this package (with `$ref`s, as written to
 * `openapi/json-schema/`).
 *
 * @example
 * ```ts
 * currentSides(contractVersion).events.offer_sent?.request.accepted; // what a Dobbletap receiver takes
 * ```
 */
export function currentSides(version: string): ContractSides {
  const emitted = buildJsonSchemas({ io: "output" });
  const accepted = buildJsonSchemas({ io: "input" });
  return {
    version,
    events: Object.fromEntries(
      eventNames.map((name: EventName) => [
        name,
        { request: { emitted: emitted[name], accepted: accepted[name] }, success: sides(events[name].successAnswer) },
      ]),
    ),
    error: sides(ErrorAnswer),
  };
}
