import type { EventName } from "@dttracker-dobbletap/contracts";
import ky, { isHTTPError, isNetworkError, isTimeoutError, type Input, type KyInstance } from "ky";
import type { WebhookSigner } from "../signing/index.js";
import { kyRetryOptions, type RetryPolicy } from "./retry.js";

/**
 * The per-attempt logging hooks (see `DeliveryHooks`, which adds `onResult`). They receive what an
 * operator needs to follow a delivery and never a header, a secret, a token or a signature.
 *
 * @example
 * ```ts
 * const hooks: AttemptHooks = { onResponse: ({ event, id, attempt, status, ms }) => log.info({ event, id, attempt, status, ms }) };
 * ```
 */
export interface AttemptHooks {
  /** Before each attempt (1 for the first). `url` has no credentials and no query string. */
  onAttempt?(info: { event: EventName; id: string; attempt: number; url: string }): void;
  /** When an attempt got an HTTP answer; `ms` is the time from sending to the answer's headers. */
  onResponse?(info: { event: EventName; id: string; attempt: number; status: number; ms: number }): void;
}

/** How one client talks to one receiver; built once per client. */
export interface Transport {
  api: KyInstance;
  signer: WebhookSigner;
  policy: RetryPolicy;
  fetch: typeof fetch;
  now: () => number;
  hooks: AttemptHooks;
}

/** One send in progress: the bytes to sign and send, and where. */
export interface DeliveryTarget {
  event: EventName;
  id: string;
  url: string;
  /** `url` as it may be shown (no credentials, no query string). */
  shownUrl: string;
  body: Uint8Array<ArrayBuffer>;
  signal: AbortSignal | undefined;
}

/** What happened on the wire, before it is judged against the contract. */
export type RawOutcome = { attempts: number; elapsedMs: number } & (
  | { kind: "answered"; status: number; text: string }
  | { kind: "refused"; status: number; data: unknown; retryAfter: string | null; contentType: string | null }
  | { kind: "timeout"; total: boolean }
  | { kind: "network"; cause: unknown }
  | { kind: "aborted"; reason: unknown }
);

/**
 * Builds the ky instance a client sends with: POST, JSON, one timeout per attempt, the whole send
 * bounded. Redirects are not followed: fetch would turn a redirected POST into a body-less GET (or
 * carry the signed request to another origin); a 3xx is reported so that `baseUrl` gets fixed.
 *
 * @example
 * ```ts
 * const api = createTransportApi({ timeoutMs: 10_000, policy, bearerToken: undefined });
 * ```
 */
export function createTransportApi(options: { timeoutMs: number; policy: RetryPolicy; bearerToken: string | undefined }): KyInstance {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (options.bearerToken !== undefined) headers.authorization = `Bearer ${options.bearerToken}`;
  return ky.create({
    method: "post",
    headers,
    timeout: options.timeoutMs,
    totalTimeout: options.policy.totalTimeoutMs,
    throwHttpErrors: true,
    redirect: "manual",
  });
}

/**
 * Calls a logging hook; a throw (or a rejected promise) from it is swallowed: logging must not
 * change the outcome of a delivery.
 *
 * @example
 * ```ts
 * notify(hooks, "onResult", result);
 * ```
 */
export function notify<H extends object, K extends keyof H>(
  hooks: H,
  name: K,
  info: H[K] extends ((info: infer T) => void) | undefined ? T : never,
): void {
  const hook = hooks[name];
  if (typeof hook !== "function") return;
  try {
    // Called as a method, so hooks written as class methods keep their `this`.
    const returned: unknown = hook.call(hooks, info);
    if (returned instanceof Promise) returned.catch(() => undefined);
  } catch {
    // Ignored on purpose (see above).
  }
}

/**
 * Sends one signed event with ky's retries and reports what happened on the wire.
 * Every attempt goes through one fetch wrapper, which signs it afresh: the same `webhook-id`, a new
 * `webhook-timestamp` and signature (a receiver refuses a timestamp 5 minutes old, and a late retry
 * must not carry a stale one). ky's `beforeRequest` hook runs once per send, so it could not.
 * The body is the exact byte array that was signed; it is encoded once and handed to fetch by every
 * attempt (ky's own Request carries no body: see below).
 *
 * @example
 * ```ts
 * const outcome = await deliver(transport, { event: "offer_sent", id, url, shownUrl: url, body, signal: undefined });
 * if (outcome.kind === "answered") console.log(outcome.status, outcome.text);
 * ```
 */
export async function deliver(transport: Transport, target: DeliveryTarget): Promise<RawOutcome> {
  const { signer, hooks, now, policy } = transport;
  const { event, id, body, shownUrl, signal } = target;
  const startedAt = performance.now();
  let attempts = 0;
  let status = 0;
  // What fetch itself threw: a delivery failure. Anything else thrown is a bug, and not hidden.
  const fetchErrors = new Set<unknown>();

  const signedFetch = async (input: Input, init?: RequestInit): Promise<Response> => {
    // ky always passes the Request it built; the guard only keeps the types honest.
    const request = input instanceof Request ? input : new Request(input, init);
    attempts += 1;
    notify(hooks, "onAttempt", { event, id, attempt: attempts, url: shownUrl });
    const signed = await signer.headers(id, body, now());
    request.headers.set("webhook-id", signed["webhook-id"]);
    request.headers.set("webhook-timestamp", signed["webhook-timestamp"]);
    request.headers.set("webhook-signature", signed["webhook-signature"]);
    const sentAt = performance.now();
    let response: Response;
    try {
      // The body goes to fetch here, as the very bytes that were signed, rather than through ky's
      // Request: a Request body is a stream that ky tees for every retry, which alone costs more
      // CPU than signing, validating and judging together (measured on Node 20).
      response = await transport.fetch(request.url, {
        ...init,
        method: "POST",
        headers: request.headers,
        body,
        signal: request.signal,
        redirect: "manual",
      });
    } catch (error) {
      fetchErrors.add(error);
      throw error;
    }
    status = response.status;
    notify(hooks, "onResponse", { event, id, attempt: attempts, status, ms: performance.now() - sentAt });
    return response;
  };

  const elapsed = () => performance.now() - startedAt;
  try {
    const text = await transport.api
      .post(target.url, {
        signal,
        fetch: signedFetch,
        retry: kyRetryOptions(policy, { startedAt, signal }),
      })
      .text();
    return { kind: "answered", status, text, attempts, elapsedMs: elapsed() };
  } catch (error) {
    const elapsedMs = elapsed();
    if (signal?.aborted) return { kind: "aborted", reason: signal.reason, attempts, elapsedMs };
    if (isHTTPError(error)) {
      const { response } = error;
      return {
        kind: "refused",
        status: response.status,
        data: error.data,
        retryAfter: response.headers.get("retry-after"),
        contentType: response.headers.get("content-type"),
        attempts,
        elapsedMs,
      };
    }
    if (isTimeoutError(error)) {
      // Fewer attempts than allowed, or the clock at the bound: the total bound ended the send,
      // not the per-attempt timeout (timer granularity allows a few ms of slack).
      const total = attempts < policy.attempts || elapsedMs >= policy.totalTimeoutMs - 5;
      return { kind: "timeout", total, attempts, elapsedMs };
    }
    // ky's NetworkError carries the Request (with its Authorization header) in `request`: only its
    // cause (the runtime's own error: ECONNREFUSED, …) is kept.
    const cause = isNetworkError(error) ? error.cause : error;
    if (!fetchErrors.has(cause)) throw error;
    return { kind: "network", cause, attempts, elapsedMs };
  }
}
