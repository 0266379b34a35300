import { loggedBody, loggedHeaders, type ReceivedEvent, type SignatureCheck } from "./log.js";
import { headerPairs, tapBody, type Delivery, type DeliveryAnswer, type Receiver } from "./receiver-seam.js";
import { headerOf } from "@dttracker-dobbletap/sdk";

const utf8 = new TextDecoder();

/**
 * Wraps a webhook route's receiver core so each delivery is logged whole: the request's headers and
 * raw body (as the core read them: a body it refused unread is logged empty), the answer's status
 * and body, the outcome read from that answer. The core sees the same bytes and answers the same.
 *
 * @example
 * ```ts
 * const logged = recordDeliveries(receiver, "/functions/v1/dobbletap-webhooks", { verify: true }, (entry) => log.push(entry));
 * ```
 */
export function recordDeliveries(receiver: Receiver, path: string, options: { verify: boolean }, record: (entry: ReceivedEvent) => void): Receiver {
  return {
    async receive(delivery) {
      const started = performance.now();
      let bytes: Uint8Array | undefined;
      const answer = await receiver.receive({
        ...delivery,
        body: tapBody(delivery.body, (read) => {
          bytes = read;
        }),
      });
      record(entryFor(path, delivery, bytes === undefined ? "" : utf8.decode(bytes), answer, options.verify, performance.now() - started));
      return answer;
    },
  };
}

function entryFor(path: string, delivery: Delivery, text: string, answer: DeliveryAnswer, verify: boolean, ms: number): ReceivedEvent {
  const status = answer.status;
  const signature: SignatureCheck = !verify
    ? "not checked"
    : headerOf(delivery.headers, "webhook-signature") === null
      ? "missing"
      : status === 401
        ? "failed"
        : status === 413 || status === 415
          ? "not checked"
          : "verified";
  const entry: ReceivedEvent = { at: new Date().toISOString(), path, status, ms, direction: "in" };
  const envelope = parse(text) as { event?: unknown; id?: unknown } | undefined;
  if (typeof envelope?.event === "string") entry.event = envelope.event.slice(0, 100);
  const id = headerOf(delivery.headers, "webhook-id") ?? (typeof envelope?.id === "string" ? envelope.id : undefined);
  if (id) entry.id = id.slice(0, 200);
  const body = parse(answer.body) as { success?: boolean; duplicate?: boolean; result?: unknown; error?: { code?: string; message?: string } } | undefined;
  if (body?.success === true) {
    if (body.duplicate) entry.duplicate = true;
    if (body.result !== undefined) entry.result = body.result;
  } else if (body?.error) {
    if (typeof body.error.code === "string") entry.code = body.error.code;
    if (typeof body.error.message === "string") entry.error = body.error.message;
  }
  entry.request = { method: delivery.method, headers: loggedHeaders(headerPairs(delivery.headers), signature), ...loggedBody(text), signature };
  entry.response = { status, ...loggedBody(answer.body) };
  return entry;
}

function parse(text: string): unknown {
  if (text === "" || (text[0] !== "{" && text[0] !== "[")) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A `fetch` that logs each call as an `out` delivery (one entry per attempt), for the mock's own
 * senders (the creator's accept/decline).
 *
 * @example
 * ```ts
 * const client = createDttrackerClient({ baseUrl, secret, fetch: recordingFetch((entry) => log.push(entry)) });
 * ```
 */
export function recordingFetch(record: (entry: ReceivedEvent) => void, base: typeof fetch = (input, init) => fetch(input, init)): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const text = await request.clone().text();
    const started = performance.now();
    const entry: ReceivedEvent = { at: "", path: request.url, status: 0, ms: 0, direction: "out" };
    const envelope = parse(text) as { event?: unknown } | undefined;
    if (typeof envelope?.event === "string") entry.event = envelope.event;
    const id = request.headers.get("webhook-id");
    if (id) entry.id = id;
    entry.request = { method: request.method, headers: loggedHeaders(request.headers, "not checked"), ...loggedBody(text), signature: "not checked" };
    try {
      const response = await base(request);
      const answer = await response.clone().text();
      entry.status = response.status;
      entry.response = { status: response.status, ...loggedBody(answer) };
      const body = parse(answer) as { success?: boolean; duplicate?: boolean; result?: unknown; error?: { code?: string; message?: string } } | undefined;
      if (body?.success === true) {
        if (body.duplicate) entry.duplicate = true;
        entry.result = body.result;
      } else if (body?.error) {
        if (typeof body.error.code === "string") entry.code = body.error.code;
        if (typeof body.error.message === "string") entry.error = body.error.message;
      }
      return response;
    } catch (error) {
      entry.error = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      throw error;
    } finally {
      entry.at = new Date().toISOString();
      entry.ms = performance.now() - started;
      record(entry);
    }
  };
}
