import { readCappedBody } from "../receiver/read-body.js";

/**
 * The most of an answer's body a sender reads (1 MiB). A success answer names one record (a sync
 * maps at most 500 creators, a few dozen KiB); a larger 2xx is reported as `INVALID_ANSWER` without
 * being buffered whole.
 *
 * @example
 * ```ts
 * if (answerText.length > MAX_ANSWER_BYTES) console.warn("this receiver's answers are too large for the SDK");
 * ```
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * Reading an answer's body failed after its headers arrived: the connection closed before the
 * `Content-Length` (or the last chunk) was reached, or the `Content-Encoding` did not match the
 * bytes. The event may or may not have been processed: a delivery failure, retried with the same id.
 */
export class AnswerReadError extends Error {
  override readonly name = "AnswerReadError";
  constructor(
    readonly status: number,
    options: { cause: unknown },
  ) {
    super(`The ${status} answer's body could not be read whole.`, options);
  }
}

/** A body read whole, or the fact that it was larger than the cap. */
export interface ReadAnswer {
  response: Response;
  /** The body went past {@link MAX_ANSWER_BYTES}; `response` has no body. */
  tooLarge: boolean;
}

// A Response with one of these statuses may not be built with a body.
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * Reads an answer's body inside the attempt (so the attempt's timeout bounds a slow body), capped
 * at `limit`, and hands back a Response over the bytes read. Throws {@link AnswerReadError} when the
 * body cannot be read whole; never buffers more than `limit` bytes.
 *
 * @example
 * ```ts
 * const { response, tooLarge } = await readAnswer(await fetch(url, init), MAX_ANSWER_BYTES);
 * ```
 */
export async function readAnswer(response: Response, limit = MAX_ANSWER_BYTES): Promise<ReadAnswer> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readCappedBody(response.body, limit);
  } catch (cause) {
    throw new AnswerReadError(response.status, { cause });
  }
  const init = { status: response.status, statusText: response.statusText, headers: response.headers };
  const empty = bytes === undefined || bytes.byteLength === 0 || NULL_BODY_STATUSES.has(response.status);
  const body = empty ? null : (bytes as Uint8Array<ArrayBuffer>);
  return { response: new Response(body, init), tooLarge: bytes === undefined };
}
