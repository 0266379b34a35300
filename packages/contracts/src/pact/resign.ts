import { createHmac, createPrivateKey, randomBytes, sign } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Signs one replayed request per Standard Webhooks with node:crypto. Pact verification is a
 * Node-only tool, and the contracts package cannot depend on the SDK (the SDK depends on it).
 */
function signature(secret: string, id: string, timestamp: number, body: string): string {
  const content = `${id}.${timestamp}.${body}`;
  if (secret.startsWith("whsk_")) {
    // v1a: Ed25519 over the same content, from the 32-byte seed (or the 64-byte seed‖public form).
    const seed = Buffer.from(secret.slice(5), "base64").subarray(0, 32);
    const key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: "der", type: "pkcs8" });
    return `v1a,${sign(null, Buffer.from(content), key).toString("base64")}`;
  }
  const key = Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
  return `v1,${createHmac("sha256", key).update(content).digest("base64")}`;
}

const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");

/** A key of the same scheme that the provider does not trust (the "signed with another secret" state). */
function foreignKeyLike(secret: string): string {
  return `${secret.startsWith("whsk_") ? "whsk_" : "whsec_"}${randomBytes(32).toString("base64")}`;
}

/**
 * Standard Webhooks headers for one body, signed with `secret`: what a replayed webhook and a
 * provider-state change request both carry.
 *
 * @example
 * ```ts
 * const headers = signedHeaders(process.env.WEBHOOK_SECRET!, crypto.randomUUID(), JSON.stringify(body));
 * ```
 */
export function signedHeaders(secret: string, id: string, body: string): Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string> {
  const timestamp = Math.floor(Date.now() / 1000);
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": signature(secret, id, timestamp, body) };
}

type ProxiedRequest = IncomingMessage & { body?: unknown };

/** What {@link createResigningFilter} needs. */
export interface ResignOptions {
  /**
   * The key each replay is re-signed with, read from the environment by the caller: a `whsk_`
   * secret key (v1a, the consumer's key whose `whpk_` the provider trusts) or a `whsec_` secret (v1).
   */
  secret: string;
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
 * new Verifier({ providerBaseUrl, pactUrls, requestFilter: createResigningFilter({ secret: process.env.WEBHOOK_SECRET! }) });
 * ```
 */
export function createResigningFilter(options: ResignOptions) {
  let foreignNext = false;
  const filter = (request: ProxiedRequest, _response: ServerResponse, next: () => void) => {
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
    Object.assign(request.headers, signedHeaders(secret, String(id ?? ""), body));
    if (options.bearerToken) request.headers.authorization = `Bearer ${options.bearerToken}`;
    // The proxy forwards req.body: make it the exact bytes that were signed.
    request.body = Buffer.from(body, "utf8");
    request.headers["content-length"] = String(Buffer.byteLength(body));
    next();
  };
  return Object.assign(filter, {
    useForeignSecretOnce() {
      foreignNext = true;
    },
  });
}
