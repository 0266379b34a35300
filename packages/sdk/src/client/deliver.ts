import type { EventName } from "@dttracker-dobbletap/contracts";
import ky, { isHTTPError, isNetworkError, isTimeoutError, type Input, type KyInstance } from "ky";
import type { WebhookSigner } from "../signing/index.js";
import { readAnswer } from "./read-answer.js";
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
  /** Sent on every request, before the three signature headers. */
  headers: Readonly<Record<string, string>>;
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
  /** `tooLarge`: the body went past `MAX_ANSWER_BYTES` and was not read (`text` is empty). */
  | { kind: "answered"; status: number; text: string; tooLarge: boolean }
  | { kind: "refused"; status: number; data: unknown; retryAfter: string | null; contentType: string | null }
  | { kind: "timeout"; total: boolean }
  | { kind: "network"; cause: unknown }
  | { kind: "aborted"; reason: unknown }
);

/**
 * Builds the ky instance a client sends with: POST, one timeout per attempt, the whole send
 * bounded. Redirects are not followed: fetch would turn a redirected POST into a body-less GET (or
 * carry the signed request to another origin); a 3xx is reported so that `baseUrl` gets fixed.
 * Headers and body are not ky's business here: {@link deliver} hands them to fetch itself.
 *
 * @example
 * ```ts
 * const api = createTransportApi({ timeoutMs: 10_000, policy });
 * ```
 */
export function createTransportApi(options: { timeoutMs: number; policy: RetryPolicy }): KyInstance {
  return ky.create({
    method: "post",
    timeout: options.timeoutMs,
    totalTimeout: options.policy.totalTimeoutMs,
    throwHttpErrors: true,
    redirect: "manual",
  });
}

/**
 * The headers every request of a client carries besides the signature.
 *
 * @example
 * ```ts
 * const headers = staticHeaders(process.env.DOBBLETAP_ANON_KEY);
 * ```
 */
export function staticHeaders(bearerToken: string | undefined): Readonly<Record<string, string>> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (bearerToken !== undefined) headers.authorization = `Bearer ${bearerToken}`;
  return Object.freeze(headers);
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
  let tooLarge = false;
  // What fetch itself threw: a delivery failure. Anything else thrown is a bug, and not hidden.
  const fetchErrors = new Set<unknown>();

  const signedFetch = async (input: Input, init?: RequestInit): Promise<Response> => {
    // ky always passes the Request it built; the guard only keeps the types honest.
    const request = input instanceof Request ? input : new Request(input, init);
    attempts += 1;
    notify(hooks, "onAttempt", { event, id, attempt: attempts, url: shownUrl });
    const signed = await signer.headers(id, body, now());
    const sentAt = performance.now();
    let response: Response;
    try {
      // Headers and body go to fetch here, the body as the very bytes that were signed, rather than
      // through ky's Request: a Request body is a stream that ky tees for every retry, which alone
      // costs more CPU than signing, validating and judging together (measured on Node 20), and
      // copying a Headers object costs more than this plain one.
      response = await transport.fetch(request.url, {
        ...init,
        method: "POST",
        headers: { ...transport.headers, ...signed },
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
    // The body is read here, capped and under this attempt's timeout: a cut body, a lying
    // Content-Length or a Content-Encoding that does not match is a failed attempt (retried, then
    // reported), never a throw out of the send, and a huge answer is never buffered whole.
    try {
      const read = await readAnswer(response);
      tooLarge = read.tooLarge;
      return read.response;
    } catch (error) {
      fetchErrors.add(error);
      throw error;
    }
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
    return { kind: "answered", status, text, tooLarge, attempts, elapsedMs: elapsed() };
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
