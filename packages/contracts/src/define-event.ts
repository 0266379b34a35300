import * as z from "zod";
import type { EndpointId } from "./endpoints.js";
import type { Issue } from "./errors.js";
import { IsoDateTime, Uuid } from "./primitives.js";

/** Turns `offer_sent` into `OfferSent` (schema ids) — `offerSent` is the client method name. */
export type PascalCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Capitalize<Head>}${PascalCase<Tail>}` : Capitalize<S>;

function pascalCase(name: string): string {
  return name
    .split("_")
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

/** The envelope every event travels in, both directions. */
export function envelopeOf<const N extends string, D extends z.ZodType>(name: N, data: D) {
  return z.object({
    id: Uuid.meta({ description: "The event's UUID; equals the `webhook-id` header and is the idempotency key." }),
    event: z.literal(name, { error: `must be "${name}"` }),
    occurredAt: IsoDateTime.meta({
      description: "When the event happened: RFC 3339; receivers accept a numeric offset and normalise it, senders send `Z`.",
    }),
    data,
  });
}

/** The success answer for one event: `{ success: true, eventId, result, duplicate? }`. */
export function successAnswerOf<R extends z.ZodType>(result: R) {
  return z.object({
    success: z.literal(true),
    eventId: Uuid.meta({ description: "The `id` of the event this answers." }),
    result,
    duplicate: z.boolean().optional().meta({ description: "True when the event (or the same record) was already processed; nothing new was created." }),
  });
}

/**
 * The result naming the single record a receiver created or found: `{ type, id, status }`.
 * "ok" alone is not an answer: a success must say what exists now.
 */
export function recordResult<const T extends string, const S extends readonly [string, ...string[]]>(type: T, statuses: S) {
  return z.object({
    type: z.literal(type),
    id: Uuid.meta({ description: `The receiver's own id of the ${type} record (not the sender's id for it).` }),
    status: z.enum(statuses),
  });
}

/**
 * The receiver's own ids in the examples' results: fixed and obviously examples, one per kind of
 * record, so the events that answer with the same record (an offer sent, then accepted) agree.
 */
export const exampleRecordIds = {
  campaign: "0c0ffee0-0000-4000-8000-000000000001",
  offer: "0c0ffee0-0000-4000-8000-000000000002",
  assignment: "0c0ffee0-0000-4000-8000-000000000003",
  creator: "0c0ffee0-0000-4000-8000-000000000004",
} as const;

/** What one event module declares. */
export interface EventSpec<N extends string, E extends EndpointId, D extends z.ZodType, R extends z.ZodType> {
  name: N;
  endpoint: E;
  summary: string;
  description: string;
  data: D;
  result: R;
  /**
   * What a result must say about the data it answers, beyond its shape (e.g. a creator sync maps
   * every creator sent). Issues' paths start at `result`.
   */
  relate?: (data: z.output<D>, result: z.output<R>) => Issue[];
  /** One realistic example of the whole envelope; it is a test fixture and the OpenAPI example. */
  example: { id: string; event: N; occurredAt: string; data: z.input<D> };
  /**
   * What a correct receiver answers in `result` for {@link EventSpec.example}: the one home of every
   * per-event success result (the pacts, the SDK's and the mock's tests derive theirs from it). Its
   * ids are obviously-example receiver ids; a test checks it against `result` and `relate`.
   */
  exampleResult: z.output<R>;
}

/** Builds an event's schemas from its spec. Every event module calls this once. */
export function defineEvent<const N extends string, const E extends EndpointId, D extends z.ZodType, R extends z.ZodType>(spec: EventSpec<N, E, D, R>) {
  const schemaName = pascalCase(spec.name);
  const data = spec.data.meta({ id: `${schemaName}Data` });
  const result = spec.result.meta({ id: `${schemaName}Result` });
  return {
    ...spec,
    data,
    result,
    envelope: envelopeOf(spec.name, data).meta({
      id: `${schemaName}Event`,
      title: spec.name,
      description: spec.description,
      example: spec.example,
    }),
    successAnswer: successAnswerOf(result).meta({ id: `${schemaName}Success` }),
  };
}
