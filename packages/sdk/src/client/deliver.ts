/**
 * One attempt on the wire: sign, POST through ky, read the answer capped. Retries, timeouts and
 * the caller's abort are not handled here: `retry.ts` owns them and hands each attempt its signal.
 */
import type { EventName } from "@dttracker-dobbletap/contracts";
import ky, { isNetworkError, type KyInstance } from "ky";
import type { WebhookSigner } from "../signing/index.js";
import { notify } from "./notify.js";
import { readAnswer } from "./read-answer.js";
import type { AttemptOutcome } from "./retry.js";
import type { AttemptHooks } from "./types.js";

/** How one client talks to one receiver; built once per client. */
export interface Transport {
  api: KyInstance;
  /** Sent on every request, before the three signature headers. */
  headers: Readonly<Record<string, string>>;
  signer: WebhookSigner;
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
}

/**
 * The ky instance a client sends with, configured to be the transport of one attempt: ky builds
 * one request and hands it to fetch; it neither retries (`retry: 0`) nor times out
 * (`timeout: false`) nor throws on a status, since the client's retry loop owns all three. Redirects
 * are not followed: fetch would turn a redirected POST into a body-less GET (or carry the signed
 * request to another origin); a 3xx is reported so that `baseUrl` gets fixed.
 *
 * @example
 * ```ts
 * const api = createTransportApi();
 * ```
 */
export function createTransportApi(): KyInstance {
  return ky.create({ method: "post", retry: 0, timeout: false, throwHttpErrors: false, redirect: "manual" });
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
 * Makes attempt number `attempt` of a send and reports what happened on the wire. Each attempt is
 * signed afresh: the same `webhook-id`, a new `webhook-timestamp` and signature (a receiver refuses
 * a timestamp 5 minutes old, and a late retry must not carry a stale one). The body is the exact
 * byte array that was signed, handed to fetch with the headers as a plain record, rather than
 * through ky's Request: a Request body is a stream that fetch would pipe through another one, which
 * costs more CPU than signing, validating and judging together. The answer's body is read here,
 * capped and under `signal`: a cut body or a Content-Encoding that does not match is a failed
 * attempt, never a throw out of the send, and a huge answer is never buffered whole.
 *
 * @example
 * ```ts
 * const outcome = await attempt(transport, { event: "offer_sent", id, url, shownUrl: url, body }, 1, AbortSignal.timeout(10_000));
 * ```
 */
export async function attempt(transport: Transport, target: DeliveryTarget, attempt: number, signal: AbortSignal): Promise<AttemptOutcome> {
  const { event, id, url, body } = target;
  const { hooks } = transport;
  // The hook's info is built only when there is a hook to take it.
  if (hooks.onAttempt) notify(hooks, "onAttempt", { event, id, attempt, url: target.shownUrl });
  const signed = await transport.signer.headers(id, body, transport.now());
  const init: RequestInit = { method: "POST", headers: { ...transport.headers, ...signed }, body, signal, redirect: "manual" };
  // What fetch itself threw is a delivery failure; anything else thrown is a bug, and not hidden.
  let fetchError: { error: unknown } | undefined;
  const send = async (): Promise<Response> => {
    try {
      return await transport.fetch(url, init);
    } catch (error) {
      fetchError = { error };
      throw error;
    }
  };
  const sentAt = hooks.onResponse ? performance.now() : 0;
  let response: Response;
  try {
    response = await transport.api.post(url, { fetch: send });
  } catch (error) {
    if (signal.aborted) return { kind: "aborted" };
    // ky's NetworkError carries its Request in `request`: only the runtime's own error (its cause:
    // ECONNREFUSED, …) is kept.
    const cause = isNetworkError(error) ? error.cause : error;
    if (fetchError === undefined || fetchError.error !== cause) throw error;
    return { kind: "network", cause };
  }
  const { status, headers } = response;
  if (hooks.onResponse) notify(hooks, "onResponse", { event, id, attempt, status, ms: performance.now() - sentAt });
  try {
    const { text, tooLarge } = await readAnswer(response);
    return { kind: "answered", status, text, tooLarge, retryAfter: headers.get("retry-after"), contentType: headers.get("content-type") };
  } catch (error) {
    if (signal.aborted) return { kind: "aborted" };
    return { kind: "network", cause: error };
  }
}
