import { errorAnswer, errorCodes, type ErrorCode, type Issue } from "@dttracker-dobbletap/contracts";

/** The answer one request gets, before it is written out; also what `onOutcome` reports. */
export interface Answer {
  status: number;
  body: object;
  /** The body's JSON text, when it was made once ahead (the fixed failures). */
  json?: string;
  code?: ErrorCode;
  event?: string;
  id?: string;
  duplicate?: boolean;
  result?: unknown;
  allow?: boolean;
  /** Seconds, for a `Retry-After` header (a concurrent copy that waited past its bound). */
  retryAfter?: string;
}

export const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ "content-type": "application/json" });
export const JSON_HEADERS_ALLOW_POST: Readonly<Record<string, string>> = Object.freeze({ "content-type": "application/json", allow: "POST" });
const busyHeaders = new Map<string, Readonly<Record<string, string>>>();

/** The headers an answer is sent with; the few distinct sets are made once. */
export function headersOf(answer: Answer): Readonly<Record<string, string>> {
  if (answer.allow) return JSON_HEADERS_ALLOW_POST;
  if (answer.retryAfter === undefined) return JSON_HEADERS;
  let headers = busyHeaders.get(answer.retryAfter);
  if (headers === undefined) {
    headers = Object.freeze({ ...JSON_HEADERS, "retry-after": answer.retryAfter });
    busyHeaders.set(answer.retryAfter, headers);
  }
  return headers;
}

/** A failure answer with the contract's status for `code`. */
export function failure(code: ErrorCode, message: string, issues?: Issue[]): Answer {
  return { status: errorCodes[code].status, code, body: errorAnswer(code, message, issues) };
}

/** A failure that is always the same, with its JSON made once. */
function fixed(code: ErrorCode, message: string): Answer {
  const answer = failure(code, message);
  answer.json = JSON.stringify(answer.body);
  return Object.freeze(answer);
}

export const METHOD_NOT_ALLOWED: Answer = Object.freeze({
  ...fixed("METHOD_NOT_ALLOWED", "Use POST: this endpoint only receives webhook deliveries."),
  allow: true,
});
export const UNSUPPORTED_MEDIA_TYPE = fixed("UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json (UTF-8). Send the event envelope as JSON.");
export const BAD_BEARER = fixed("UNAUTHORIZED", "Missing or wrong Authorization header: this endpoint requires Authorization: Bearer <token>.");
export const UNREADABLE_BODY = fixed("MALFORMED_JSON", "The body could not be read completely. Send it again.");
export const NOT_UTF8 = fixed("MALFORMED_JSON", "The body is not valid UTF-8. Send the event envelope as UTF-8 JSON.");
export const INTERNAL = fixed("INTERNAL", "The receiver failed unexpectedly while processing this event. Retry later with the same webhook-id.");
const BUSY = fixed(
  "INTERNAL",
  "Another delivery of this webhook-id is still being processed; nothing was done with this one. Retry later with the same webhook-id.",
);

/** The 413 of a receiver with this body cap. */
export function tooLargeAnswer(maxBodyBytes: number, maxCreators: number): Answer {
  return fixed(
    "PAYLOAD_TOO_LARGE",
    `The body is larger than ${maxBodyBytes} bytes. Send smaller batches (creators_synced takes at most ${maxCreators} creators).`,
  );
}

export function success(body: object, result: unknown, duplicate: boolean, event: string, id: string): Answer {
  return { status: 200, body, result, duplicate, event, id };
}

/** Tags a freshly made answer with the event and id it is about (for `onOutcome`). */
export function about(answer: Answer, event: string, id: string): Answer {
  answer.event = event;
  answer.id = id;
  return answer;
}

export function internal(event: string, id: string): Answer {
  return { ...INTERNAL, event, id };
}

/** Another delivery of the id is still being processed: nothing was done here; retry later. */
export function busy(event: string, id: string, retryAfter: string): Answer {
  return { ...BUSY, retryAfter, event, id };
}
