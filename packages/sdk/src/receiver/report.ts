import type { Issue } from "@dttracker-dobbletap/contracts";
import { InvalidAnswerError, isInvalidAnswerError } from "../errors/index.js";

/** The hook a receiver reports its own failures to (`onError`, or {@link logError}). */
export type ErrorReporter = (error: unknown, context: { event?: string; id?: string }) => void;

/**
 * A handler returned a result that breaks the contract (a status the event does not allow, no
 * record id, a creator sync that does not map every creator): the request was answered 500
 * `INTERNAL`, never a 200 for something that was not done, and an {@link InvalidAnswerError}
 * naming the event and each field is passed to `onError`.
 */
export function invalidHandlerResult(event: string, issues: Issue[]): InvalidAnswerError {
  return new InvalidAnswerError(`The ${event} handler returned a result that breaks the contract: ${describeIssues(issues)}`, issues, { event });
}

const MAX_LOGGED_ISSUES = 5;

/** `result.status: Invalid option: expected one of "offered"; …` (paths and expectations only, never values). */
function describeIssues(issues: readonly Issue[]): string {
  const shown = issues.slice(0, MAX_LOGGED_ISSUES).map((issue) => `${issue.path || "result"}: ${issue.message}`);
  if (issues.length > MAX_LOGGED_ISSUES) shown.push(`and ${issues.length - MAX_LOGGED_ISSUES} more`);
  return shown.join("; ");
}

/** Calls the hook; a logging hook that throws must not change the answer. */
export function report(reporter: ErrorReporter, error: unknown, context: { event?: string; id?: string }): void {
  try {
    reporter(error, context);
  } catch {
    // A logging hook must not change the answer.
  }
}

/**
 * The default `onError`: one line with the event, the id and the error's name. A thrown message can
 * quote a connection string or a key, so it is left to an `onError` the integrator owns; a result
 * that broke the contract is the receiver's own finding, so its fields and what each expected are
 * named (zod's and the contract's messages name what was expected, never the value).
 */
export function logError(error: unknown, context: { event?: string; id?: string }): void {
  const what = error instanceof Error ? error.name : typeof error;
  const detail = isInvalidAnswerError(error) ? `: the handler's result breaks the contract at ${describeIssues(error.issues)}` : "";
  console.error(
    `[@dttracker-dobbletap/sdk] ${context.event ?? "webhook"} ${context.id ?? "(no id)"} failed with 500 INTERNAL (${what})${detail}. Pass onError to createWebhookHandler to log the error itself.`,
  );
}
