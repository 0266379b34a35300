/**
 * Codes a sender reports for a failed send that are not the receiver's contract codes: what went
 * wrong on the way (`TransportError`), an answer that broke the contract (`InvalidAnswerError`),
 * an answer with no contract body (`UnexpectedResponseError`). `PARTIAL_FAILURE` is not among them:
 * it is no failure (see `SyncStatus`).
 */
export type DeliveryErrorCode = "NETWORK_ERROR" | "TIMEOUT" | "INVALID_ANSWER" | "UNEXPECTED_RESPONSE";

// Symbol.for, so the guards work across realms and duplicated copies of the package.
const brand = Symbol.for("@dttracker-dobbletap/sdk/error");

/**
 * The base of every error the SDK throws or reports. Check kinds with the type guards
 * (`isRemoteError`, `isTransportError`, …) rather than `instanceof`, which fails across package copies.
 *
 * @example
 * ```ts
 * if (isWebhookKitError(error)) console.error(error.code, error.message);
 * ```
 */
export class WebhookKitError extends Error {
  /** A contract error code (`VALIDATION_FAILED`, `UNAUTHORIZED`, …) or a delivery code (`TIMEOUT`, …). */
  readonly code: string;
  /** @internal */
  readonly [brand] = true;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "WebhookKitError";
    this.code = code;
  }
}

/**
 * True for any error made by this SDK.
 *
 * @example
 * ```ts
 * try { await dobbletap.offerSent(data); } catch (error) { if (isWebhookKitError(error)) console.error(error.code); }
 * ```
 */
export function isWebhookKitError(error: unknown): error is WebhookKitError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[brand] === true;
}

/** @internal Builds a guard for one subclass by its literal `name`, realm-safe. */
export function guardFor<T extends WebhookKitError>(name: T["name"]): (error: unknown) => error is T {
  return (error: unknown): error is T => isWebhookKitError(error) && error.name === name;
}
