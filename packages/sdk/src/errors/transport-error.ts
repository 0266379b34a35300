import { guardFor, WebhookKitError } from "./webhook-kit-error.js";

/**
 * The request did not get an answer: a network failure or a timeout. Retried by the sender.
 *
 * @example
 * ```ts
 * const sent = await dobbletap.offerSent(data);
 * if (isTransportError(sent.failure)) console.warn("Dobbletap unreachable:", sent.failure.code);
 * ```
 */
export class TransportError extends WebhookKitError {
  override readonly name = "TransportError" as const;
  declare readonly code: "NETWORK_ERROR" | "TIMEOUT";

  constructor(code: "NETWORK_ERROR" | "TIMEOUT", message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * True for a {@link TransportError}.
 *
 * @example
 * ```ts
 * if (isTransportError(error) && error.code === "TIMEOUT") console.warn("no answer in time; a resend with the same id is safe");
 * ```
 */
export const isTransportError = guardFor<TransportError>("TransportError");
