import {
  parseErrorAnswer,
  parseSuccessAnswer,
  statusOf,
  type ErrorAnswer,
  type EventData,
  type EventName,
  type Issue,
  type SuccessAnswer,
} from "@dttracker-dobbletap/contracts";
import { MAX_ANSWER_BYTES } from "./read-answer.js";

/**
 * What an HTTP answer to one event is, by the contract. `success` only for a 2xx whose body is the
 * event's success answer for this very id (and, given the data sent, true of it: a creator sync
 * maps every creator); a bare "ok" created nothing anyone can see, so it is an `invalid-answer`.
 * A non-2xx is an `error-answer` when its body is the contract's error answer, otherwise an
 * `unexpected-response` (a gateway's HTML page, a redirect).
 */
export type AnswerJudgement<E extends EventName = EventName> =
  | { kind: "success"; answer: SuccessAnswer<E> }
  /** `statusMatchesCode`: the HTTP status is the one the contract gives the code (`CAMPAIGN_NOT_FOUND` → 404). */
  | { kind: "error-answer"; answer: ErrorAnswer; statusMatchesCode: boolean }
  | { kind: "invalid-answer"; reason: "too-large" | "not-json" | "not-success"; issues: Issue[] }
  /** A success answer, but for another event id (a proxy or a cache in front of the receiver). */
  | { kind: "invalid-answer"; reason: "other-event"; issues: Issue[]; answer: SuccessAnswer<E> }
  | { kind: "unexpected-response" };

/** An HTTP answer as read: its status and body text (`tooLarge` when the body was not read whole). */
export interface AnswerToJudge {
  status: number;
  text: string;
  tooLarge?: boolean;
}

/** Parses a body leniently: JSON when it is JSON, else `undefined`. */
function looseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Judges an answer to one sent event against the contract: the judge the SDK's senders use, and
 * the mock server's `trigger`, for anything that sends an event by other means (a script, a
 * gateway, a test) and must agree with them on what counts as delivered.
 *
 * @example
 * ```ts
 * const response = await fetch(url, { method: "POST", headers, body });
 * const judged = judgeAnswer("offer_sent", { status: response.status, text: await response.text() }, { id: envelope.id });
 * if (judged.kind === "success") console.log(judged.answer.result.id);
 * else if (judged.kind === "error-answer") console.warn(judged.answer.error.code);
 * ```
 */
export function judgeAnswer<E extends EventName>(event: E, answer: AnswerToJudge, sent: { id: string; data?: EventData<E> | undefined }): AnswerJudgement<E> {
  const { status } = answer;
  if (status < 200 || status >= 300) {
    const failure = answer.tooLarge ? undefined : parseErrorAnswer(looseJson(answer.text));
    if (failure === undefined) return { kind: "unexpected-response" };
    return { kind: "error-answer", answer: failure, statusMatchesCode: statusOf(failure.error.code) === status };
  }
  if (answer.tooLarge) {
    return {
      kind: "invalid-answer",
      reason: "too-large",
      issues: [{ path: "", message: `must be the JSON success answer, at most ${MAX_ANSWER_BYTES} bytes` }],
    };
  }
  const body = looseJson(answer.text);
  if (body === undefined) {
    return { kind: "invalid-answer", reason: "not-json", issues: [{ path: "", message: "must be the JSON success answer { success, eventId, result }" }] };
  }
  const parsed = parseSuccessAnswer(event, body, sent.data);
  if (!parsed.success) return { kind: "invalid-answer", reason: "not-success", issues: parsed.issues };
  if (parsed.answer.eventId !== sent.id) {
    return {
      kind: "invalid-answer",
      reason: "other-event",
      issues: [{ path: "eventId", message: `must be the id that was sent (${sent.id}), not ${parsed.answer.eventId}` }],
      answer: parsed.answer,
    };
  }
  return { kind: "success", answer: parsed.answer };
}
