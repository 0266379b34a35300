import * as z from "zod";

/**
 * Every error code of the contract with its HTTP status and what it means.
 * One table: the receiver, the sender, the mock server and the OpenAPI documents all read it.
 *
 * @example
 * ```ts
 * errorCodes.CAMPAIGN_NOT_FOUND.status; // 404
 * ```
 */
export const errorCodes = {
  MALFORMED_JSON: { status: 400, description: "The body is not parseable JSON." },
  UNAUTHORIZED: {
    status: 401,
    description: "Missing or invalid signature, a timestamp more than 5 minutes off, or a missing/invalid bearer token.",
  },
  NOT_FOUND: { status: 404, description: "No endpoint at this path; check the base URL and the event's path." },
  METHOD_NOT_ALLOWED: { status: 405, description: "Only POST is accepted; the answer carries `Allow: POST`." },
  CAMPAIGN_NOT_FOUND: { status: 404, description: "The campaign named by the event is unknown to the receiver." },
  CREATOR_NOT_FOUND: { status: 404, description: "The creator named by the event is unknown to the receiver." },
  OFFER_NOT_FOUND: { status: 404, description: "The offer named by the event is unknown to the receiver." },
  INVALID_STATE: {
    status: 409,
    description: "The event conflicts with the receiver's state (e.g. an offer on a cancelled campaign).",
  },
  PAYLOAD_TOO_LARGE: { status: 413, description: "The body is larger than 256 KiB." },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, description: "The body is not `application/json`." },
  VALIDATION_FAILED: { status: 422, description: "The body does not match the contract; `issues` lists each problem." },
  UNKNOWN_EVENT: { status: 422, description: "The `event` is not one this endpoint accepts." },
  INTERNAL: {
    status: 500,
    description:
      "The receiver failed unexpectedly; the message reveals nothing internal. Always HTTP 500: 502, 503 and 504 " +
      "come from gateways, carry no contract code and are retried like any 5xx.",
  },
} as const satisfies Record<string, { status: number; description: string }>;

/** A contract error code, e.g. `CAMPAIGN_NOT_FOUND`. */
export type ErrorCode = keyof typeof errorCodes;

/**
 * All error codes, in the order of the table.
 *
 * @example
 * ```ts
 * for (const code of errorCodeList) console.log(code, errorCodes[code].status);
 * ```
 */
export const errorCodeList = Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]];

/**
 * The HTTP status that goes with an error code.
 *
 * @example
 * ```ts
 * statusOf("INVALID_STATE"); // 409
 * ```
 */
export function statusOf(code: ErrorCode): number {
  return errorCodes[code].status;
}

/**
 * Bodies larger than this are refused with 413 `PAYLOAD_TOO_LARGE`.
 *
 * @example
 * ```ts
 * if (Number(request.headers.get("content-length")) > MAX_BODY_BYTES) {
 *   const message = `The body is larger than ${MAX_BODY_BYTES} bytes: send a smaller one.`;
 *   return Response.json(errorAnswer("PAYLOAD_TOO_LARGE", message), { status: statusOf("PAYLOAD_TOO_LARGE") });
 * }
 * ```
 */
export const MAX_BODY_BYTES = 256 * 1024;

/**
 * A contract error code, as a schema.
 * @example
 * ```ts
 * ErrorCodeSchema.safeParse("CAMPAIGN_NOT_FOUND").success; // true
 * ```
 */
export const ErrorCodeSchema = z.enum(errorCodeList).meta({ id: "ErrorCode", description: "A contract error code." });

/**
 * One problem with a body: `path` is dotted from the body's root, array indices as numbers.
 *
 * @example
 * ```ts
 * Issue.parse({ path: "data.creators.0.status", message: "must be active or inactive" });
 * ```
 */
export const Issue = z
  .object({
    path: z.string().meta({ example: "data.creators.0.status" }),
    message: z.string().meta({ example: "must be active or inactive" }),
  })
  .meta({ id: "Issue", description: "One problem with the body, located by a dotted path from its root." });
export type Issue = z.output<typeof Issue>;

/**
 * The `error` member of a failure answer.
 *
 * @example
 * ```ts
 * const detail = ErrorDetail.parse(body.error);
 * ```
 */
export const ErrorDetail = z
  .object({
    code: ErrorCodeSchema,
    message: z.string().meta({ description: "What was wrong and what to do about it." }),
    issues: z.array(Issue).optional().meta({ description: "Present for VALIDATION_FAILED and UNKNOWN_EVENT." }),
  })
  .meta({ id: "ErrorDetail" });
export type ErrorDetail = z.output<typeof ErrorDetail>;

/**
 * Every failure answer: `{ success: false, error: { code, message, issues? } }`.
 *
 * @example
 * ```ts
 * const failure = ErrorAnswer.safeParse(await response.json());
 * ```
 */
export const ErrorAnswer = z.object({ success: z.literal(false), error: ErrorDetail }).meta({
  id: "ErrorAnswer",
  description: "A failure. The HTTP status is the one of `error.code` in the contract's table.",
  example: {
    success: false,
    error: {
      code: "CAMPAIGN_NOT_FOUND",
      message: "Campaign 5d7c2f1e-8a4b-4c3d-9e2f-1a0b3c4d5e6f is not known here. Send campaign_created first, then retry this offer with the same id.",
    },
  },
});
export type ErrorAnswer = z.output<typeof ErrorAnswer>;

/**
 * Builds a failure answer body.
 *
 * @example
 * ```ts
 * return Response.json(errorAnswer("CAMPAIGN_NOT_FOUND", "Send campaign_created first."), { status: 404 });
 * ```
 */
export function errorAnswer(code: ErrorCode, message: string, issues?: Issue[]): ErrorAnswer {
  return issues === undefined ? { success: false, error: { code, message } } : { success: false, error: { code, message, issues } };
}
