import { readCappedBody } from "../receiver/read-body.js";

/**
 * The most of an answer's body a sender reads (1 MiB). A success answer names one record (a sync
 * maps at most 100 creators, a few dozen KiB); a larger answer is reported (a 2xx as
 * `INVALID_ANSWER`) without being buffered whole.
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

/** An answer's body as text, or the fact that it was larger than the cap. */
export interface AnswerBody {
  /** The body decoded as UTF-8; empty when it was too large. */
  text: string;
  /** The body went past {@link MAX_ANSWER_BYTES} and was not read on. */
  tooLarge: boolean;
}

const decoder = new TextDecoder();
const TOO_LARGE: AnswerBody = Object.freeze({ text: "", tooLarge: true });

/**
 * Reads an answer's body inside the attempt (so the attempt's timeout bounds a slow body), capped
 * at `limit`. Throws {@link AnswerReadError} when the body cannot be read whole; never buffers
 * more than `limit` bytes.
 *
 * @example
 * ```ts
 * const { text, tooLarge } = await readAnswer(await fetch(url, init));
 * ```
 */
export async function readAnswer(response: Response, limit = MAX_ANSWER_BYTES): Promise<AnswerBody> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await readCappedBody(response.body, limit);
  } catch (cause) {
    throw new AnswerReadError(response.status, { cause });
  }
  return bytes === undefined ? TOO_LARGE : { text: decoder.decode(bytes), tooLarge: false };
}
