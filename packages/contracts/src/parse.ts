import * as z from "zod";
import { ErrorAnswer, type ErrorDetail, type Issue } from "./errors.js";
import { events, eventNames, isEventName, type EventData, type EventEnvelope, type EventName, type SuccessAnswer } from "./events/index.js";

/** A parse that failed, as the contract's error body (`VALIDATION_FAILED`, `UNKNOWN_EVENT`, `MALFORMED_JSON`). */
export interface ParseFailure {
  success: false;
  error: ErrorDetail & { code: "VALIDATION_FAILED" | "UNKNOWN_EVENT" | "MALFORMED_JSON" };
}

/** Either a typed event or the contract error that explains why the body is not one. */
export type ParseResult<E extends EventName = EventName> = { success: true; event: EventEnvelope<E> } | ParseFailure;

/** Options for {@link parseEvent}. */
export interface ParseOptions<E extends EventName> {
  /** The events this endpoint accepts; any other `event` value is `UNKNOWN_EVENT`. Default: all seven. */
  accept?: readonly E[];
}

type Path = readonly PropertyKey[];

const compiledSchemas = new WeakMap<z.ZodType, z.ZodType>();

/**
 * The schema compiled to a generated parser (zod ≥ 4.6's `z.compile`), built on first use and kept:
 * same outputs and same issues as the runtime parser (an invalid input falls back to it for the
 * issues), several times faster on valid input. Where zod cannot compile a schema, or the runtime
 * forbids generated code (`new Function`), `z.compile` hands the schema back unchanged.
 */
export function compiled<S extends z.ZodType>(schema: S): S {
  let fast = compiledSchemas.get(schema);
  if (fast === undefined) {
    const compile = (z as { compile?: <T extends z.ZodType>(schema: T) => T }).compile;
    fast = typeof compile === "function" ? compile(schema) : schema;
    compiledSchemas.set(schema, fast);
  }
  return fast as S;
}

/**
 * Turns zod issues into the contract's `{ path, message }` list; paths are dotted from the body's root.
 *
 * @example
 * ```ts
 * const result = Money.safeParse(input);
 * if (!result.success) console.log(toIssues(result.error, ["data", "offer", "amount"]));
 * ```
 */
export function toIssues(error: z.ZodError, prefix: Path = []): Issue[] {
  return error.issues.map((issue) => ({
    path: [...prefix, ...issue.path].map(String).join("."),
    message: issue.message,
  }));
}

function validationFailed(subject: string, issues: Issue[]): ParseFailure {
  const [first] = issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  const where = first ? `${first.path || "body"}: ${first.message}${more}` : "invalid";
  return {
    success: false,
    error: {
      code: "VALIDATION_FAILED",
      message: `${subject} does not match the contract: ${where}. Fix the fields listed in issues and send again.`,
      issues,
    },
  };
}

/** Shortens attacker-controlled text before it goes into a message. */
function clip(value: string, max = 64): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/**
 * Validates a parsed JSON body as one of the contract's events.
 * Never throws: a body that is not an event comes back as the contract error to answer with.
 *
 * @example
 * ```ts
 * const parsed = parseEvent(body, { accept: ["offer_sent"] });
 * if (parsed.success) console.log(parsed.event.data.offer.amount.amountMinor);
 * else console.log(parsed.error.code, parsed.error.issues);
 * ```
 */
export function parseEvent<E extends EventName = EventName>(body: unknown, options: ParseOptions<E> = {}): ParseResult<E> {
  const accepted: readonly EventName[] = options.accept ?? eventNames;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return validationFailed("The body", [{ path: "", message: "must be a JSON object: the event envelope { id, event, occurredAt, data }" }]);
  }
  const name = (body as { event?: unknown }).event;
  if (typeof name !== "string") {
    return validationFailed("The body", [{ path: "event", message: `must be one of: ${accepted.join(", ")}` }]);
  }
  if (!isEventName(name) || !accepted.includes(name)) {
    const ownEndpoints = new Set(accepted.map((event) => events[event].endpoint));
    const hint = !isEventName(name)
      ? ""
      : ownEndpoints.has(events[name].endpoint)
        ? " (this receiver has no handler for it)"
        : " (it belongs to another endpoint)";
    return {
      success: false,
      error: {
        code: "UNKNOWN_EVENT",
        message: `Event "${clip(name)}" is not accepted here${hint}. This endpoint accepts: ${accepted.join(", ")}.`,
        issues: [{ path: "event", message: `must be one of: ${accepted.join(", ")}` }],
      },
    };
  }
  const result = compiled(events[name].envelope).safeParse(body);
  if (!result.success) return validationFailed(`The ${name} event`, toIssues(result.error));
  return { success: true, event: result.data as EventEnvelope<E> };
}

/**
 * Like {@link parseEvent}, from the raw body text: unparseable JSON is `MALFORMED_JSON`.
 *
 * @example
 * ```ts
 * const parsed = parseEventJson(await request.text(), { accept: ["creators_synced"] });
 * ```
 */
export function parseEventJson<E extends EventName = EventName>(text: string, options: ParseOptions<E> = {}): ParseResult<E> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // The parser's message quotes the body; it is not repeated back.
    return {
      success: false,
      error: { code: "MALFORMED_JSON", message: "The body is not valid JSON. Send the event envelope as UTF-8 JSON." },
    };
  }
  return parseEvent(body, options);
}

/**
 * Validates an event's `data` alone (what a sender passes), with issue paths from the body's root
 * (`data.offer.amount.amountMinor`).
 *
 * @example
 * ```ts
 * const checked = parseEventData("offer_sent", { offer });
 * if (!checked.success) throw new Error(checked.error.message);
 * ```
 */
export function parseEventData<E extends EventName>(event: E, data: unknown): { success: true; data: EventData<E> } | ParseFailure {
  const result = compiled(events[event].data).safeParse(data);
  if (!result.success) return validationFailed(`The ${event} data`, toIssues(result.error, ["data"]));
  return { success: true, data: result.data as EventData<E> };
}

/**
 * Checks a receiver's 2xx body against the event's success answer: a success must name what it
 * created. Given the `data` that was sent, it also checks what the result says about it (a creator
 * sync must map every creator sent). Returns the typed answer or the issues that make it not one.
 *
 * @example
 * ```ts
 * const answer = parseSuccessAnswer("offer_sent", await response.json());
 * if (answer.success) console.log(answer.answer.result.status); // "offered"
 * ```
 */
export function parseSuccessAnswer<E extends EventName>(
  event: E,
  body: unknown,
  data?: EventData<E>,
): { success: true; answer: SuccessAnswer<E> } | { success: false; issues: Issue[] } {
  const result = compiled(events[event].successAnswer).safeParse(body);
  if (!result.success) return { success: false, issues: toIssues(result.error) };
  const answer = result.data as SuccessAnswer<E>;
  // With the data it answers, also check what the result says about it (a sync maps every creator).
  const relate = (events[event] as { relate?: (data: unknown, result: unknown) => Issue[] }).relate;
  const issues = data === undefined || relate === undefined ? [] : relate(data, answer.result);
  return issues.length > 0 ? { success: false, issues } : { success: true, answer };
}

/**
 * Reads a failure answer body; `undefined` when the body is not a contract error answer.
 *
 * @example
 * ```ts
 * const failure = parseErrorAnswer(await response.json());
 * if (failure?.error.code === "CAMPAIGN_NOT_FOUND") console.warn("send campaign_created first");
 * ```
 */
export function parseErrorAnswer(body: unknown): ErrorAnswer | undefined {
  const result = compiled(ErrorAnswer).safeParse(body);
  return result.success ? result.data : undefined;
}
