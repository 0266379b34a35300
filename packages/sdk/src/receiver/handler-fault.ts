import { errorCodes, type ErrorCode, type Issue } from "@dttracker-dobbletap/contracts";
import { isContractError } from "../errors/index.js";

/** True for a code of the contract's table, and only its own keys (not `constructor`, `__proto__`, …). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === "string" && Object.hasOwn(errorCodes, code);
}

/** What a handler's thrown error may put in its answer: a contract code, a scrubbed message and issues. */
export interface HandlerRefusal {
  code: ErrorCode;
  message: string;
  issues: Issue[] | undefined;
}

const MAX_ISSUES = 100;
const MAX_TEXT = 1_000;

/** A string of at most MAX_TEXT characters, scrubbed; anything else becomes `fallback`. */
function text(value: unknown, scrub: (text: string) => string, fallback: string): string {
  if (typeof value !== "string") return fallback;
  const scrubbed = scrub(value);
  return scrubbed.length > MAX_TEXT ? `${scrubbed.slice(0, MAX_TEXT)}…` : scrubbed;
}

/**
 * Turns what a handler threw into the refusal it answers with, or `undefined` when it must be a
 * 500 INTERNAL: anything but a ContractError, or one whose code is not a code of the contract (a
 * JavaScript caller's typo, an unchecked string). Only strings are copied out of it (message, issue
 * paths and messages), scrubbed of secrets and keys, so a circular object, a BigInt or a throwing
 * getter in `issues` cannot break the answer. Never throws.
 *
 * @example
 * ```ts
 * const refusal = handlerRefusal(error, (text) => text.replaceAll(secret, "[redacted]"));
 * console.info(refusal ? `${refusal.code}: ${refusal.message}` : "a 500 INTERNAL");
 * ```
 */
export function handlerRefusal(error: unknown, scrub: (text: string) => string): HandlerRefusal | undefined {
  try {
    if (!isContractError(error)) return undefined;
    const code: unknown = error.code;
    if (!isErrorCode(code)) return undefined;
    const message = text(error.message, scrub, "The receiver refused this event.");
    const raw: unknown = error.issues;
    let issues: Issue[] | undefined;
    if (Array.isArray(raw)) {
      issues = [];
      for (const issue of raw.slice(0, MAX_ISSUES)) {
        if (typeof issue !== "object" || issue === null) continue;
        const { path, message: said } = issue as { path?: unknown; message?: unknown };
        issues.push({ path: text(path, scrub, ""), message: text(said, scrub, "is not valid") });
      }
    }
    return { code, message, issues };
  } catch {
    // A getter that throws, a Proxy: the handler failed, and that is all the sender learns.
    return undefined;
  }
}
