/**
 * What a send checks and builds before any request: the event's route, the id, `occurredAt`, the
 * data against the contract, and the signed body's bytes. Anything wrong is a
 * `RequestValidationError`, thrown before the network is touched.
 */
import { IsoDateTime, MAX_BODY_BYTES, parseEventData, Uuid, type EventName } from "@dttracker-dobbletap/contracts";
import { RequestValidationError } from "../errors/request-validation-error.js";
import type { SendOptions } from "./types.js";

/** A refused request with one issue. */
export function requestViolation(message: string, path: string, issue: string): RequestValidationError {
  return new RequestValidationError(message, [{ path, message: issue }]);
}

function occurredAtOf(value: string | Date | undefined): string {
  if (value === undefined) return new Date().toISOString();
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw requestViolation("occurredAt is an invalid Date. Pass a valid Date or an ISO-8601 UTC string.", "occurredAt", "must be a valid date");
    }
    return value.toISOString();
  }
  const checked = IsoDateTime.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0]?.message ?? "must be an ISO-8601 UTC timestamp";
    throw requestViolation(`occurredAt ${issue}. Pass a Date or an ISO-8601 UTC string.`, "occurredAt", issue);
  }
  return checked.data;
}

/** One event, checked and serialised: every attempt signs and sends exactly `body`. */
export interface PreparedEnvelope {
  envelope: { id: string; event: EventName; occurredAt: string; data: unknown };
  /** The validated data (trimmed, unknown fields stripped): what was sent, and what a result must be true of. */
  data: unknown;
  body: Uint8Array<ArrayBuffer>;
}

const encoder = new TextEncoder();

/**
 * Checks a send's id, `occurredAt` and data against the contract and encodes the envelope once.
 * Throws a {@link RequestValidationError} for anything the receiver would refuse.
 *
 * @example
 * ```ts
 * const { envelope, body } = prepareEnvelope("offer_sent", { offer }, {});
 * ```
 */
export function prepareEnvelope(event: EventName, data: unknown, options: SendOptions): PreparedEnvelope {
  const id = options.id ?? crypto.randomUUID();
  if (options.id !== undefined && !Uuid.safeParse(id).success) {
    throw requestViolation(
      "The id option must be a UUID (the envelope id and webhook-id); pass the eventId of an earlier send to resend it, or omit it.",
      "id",
      "must be a UUID",
    );
  }
  const occurredAt = occurredAtOf(options.occurredAt);
  const checked = parseEventData(event, data);
  if (!checked.success) throw new RequestValidationError(checked.error.message, checked.error.issues ?? []);
  const envelope = { id, event, occurredAt, data: checked.data as unknown };
  const body = encoder.encode(JSON.stringify(envelope));
  if (body.byteLength > MAX_BODY_BYTES) {
    throw requestViolation(
      `The ${event} body is ${body.byteLength} bytes; receivers refuse more than ${MAX_BODY_BYTES} (413). Send it in smaller batches.`,
      "",
      `must be at most ${MAX_BODY_BYTES} bytes`,
    );
  }
  return { envelope, data: checked.data, body };
}
