import { guardFor, WebhookKitError } from "./webhook-kit-error.js";

/** Why a request's signature was refused. */
export type SignatureFailure =
  | "missing_headers"
  | "bad_timestamp"
  | "stale_timestamp"
  | "future_timestamp"
  | "no_valid_signature"
  | "bad_bearer"
  | "bad_secret";

/**
 * A signature, timestamp, bearer token or signing secret was refused (answered 401 `UNAUTHORIZED`).
 * Messages say what was wrong and never contain a secret, a token or a signature.
 *
 * @example
 * ```ts
 * try { await verifier.verify(headers, body); } catch (error) { if (isSignatureError(error)) console.warn(error.reason); }
 * ```
 */
export class SignatureError extends WebhookKitError {
  override readonly name = "SignatureError" as const;
  declare readonly code: "UNAUTHORIZED";
  readonly reason: SignatureFailure;

  constructor(reason: SignatureFailure, message: string) {
    super("UNAUTHORIZED", message);
    this.reason = reason;
  }
}

/**
 * True for a {@link SignatureError}.
 *
 * @example
 * ```ts
 * if (isSignatureError(error) && error.reason === "stale_timestamp") console.warn("check the sender's clock");
 * ```
 */
export const isSignatureError = guardFor<SignatureError>("SignatureError");
