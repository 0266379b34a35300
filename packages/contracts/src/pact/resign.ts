import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/** The three Standard Webhooks headers of one signed request. */
export type SignedRequestHeaders = Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string>;

/**
 * Signs one request per Standard Webhooks, timestamped now: what every replayed webhook and every
 * provider-state change carries. Verification takes it as an option because the one signing
 * implementation is the SDK's (`createSigner`), and this package cannot depend on the SDK (the SDK
 * depends on it); the `dttracker-dobbletap-verify` bin, which the SDK ships, passes the SDK's.
 *
 * @example
 * ```ts
 * import { createSigner } from "@dttracker-dobbletap/sdk";
 * const sign: SignRequest = (secret, id, body) => createSigner(secret).headers(id, body);
 * ```
 */
export type SignRequest = (secret: string, id: string, body: string) => Promise<SignedRequestHeaders>;

/** A key of the same scheme that the provider does not trust (the "signed with another secret" state). */
function foreignKeyLike(secret: string): string {
  // 32 random bytes are a valid HMAC secret and a valid Ed25519 seed alike.
  return `${secret.startsWith("whsk_") ? "whsk_" : "whsec_"}${randomBytes(32).toString("base64")}`;
}

type ProxiedRequest = IncomingMessage & { body?: unknown };

/** What {@link createResigningFilter} needs. */
export interface ResignOptions {
  /**
   * The key each replay is re-signed with, read from the environment by the caller: a `whsk_`
   * secret key (v1a, the consumer's key whose `whpk_` the provider trusts) or a `whsec_` secret (v1).
   */
  secret: string;
  /** Signs each replay: the SDK's signer (see {@link SignRequest}). */
  sign: SignRequest;
  /** Sent as `Authorization: Bearer` when the provider's gateway demands it. */
  bearerToken?: string;
}

/**
 * An express-style request filter for Pact's verifier proxy: recorded timestamps are stale by
 * design, so every replayed request is signed afresh with the provider's test secret, its
 * `webhook-id` set to the body's `id`. After `useForeignSecretOnce()` the next request is signed
 * with a random secret instead (the "signed with another secret" provider state).
 *
 * @example
 * ```ts
 * const sign: SignRequest = (secret, id, body) => createSigner(secret).headers(id, body);
 * new Verifier({ providerBaseUrl, pactUrls, requestFilter: createResigningFilter({ secret: process.env.WEBHOOK_SECRET!, sign }) });
 * ```
 */
export function createResigningFilter(options: ResignOptions) {
  let foreignNext = false;
  const filter = (request: ProxiedRequest, _response: ServerResponse, next: (error?: unknown) => void) => {
    if (request.body === undefined || request.url?.startsWith("/_pact")) return next();
    const body = Buffer.isBuffer(request.body) ? request.body.toString("utf8") : JSON.stringify(request.body);
    let id = request.headers["webhook-id"];
    try {
      const parsed = JSON.parse(body) as { id?: unknown };
      if (typeof parsed.id === "string") id = parsed.id;
    } catch {
      // Not JSON: keep the recorded id; the provider will answer 400 either way.
    }
    const secret = foreignNext ? foreignKeyLike(options.secret) : options.secret;
    foreignNext = false;
    options.sign(secret, String(id ?? ""), body).then((headers) => {
      Object.assign(request.headers, headers);
      if (options.bearerToken) request.headers.authorization = `Bearer ${options.bearerToken}`;
      // The proxy forwards req.body: make it the exact bytes that were signed.
      request.body = Buffer.from(body, "utf8");
      request.headers["content-length"] = String(Buffer.byteLength(body));
      next();
    }, next);
  };
  return Object.assign(filter, {
    useForeignSecretOnce() {
      foreignNext = true;
    },
  });
}
