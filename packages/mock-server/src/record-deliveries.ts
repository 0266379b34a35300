import { MAX_BODY_BYTES } from "@dttracker-dobbletap/contracts";
import { readCappedBody, type WebhookHandler } from "@dttracker-dobbletap/sdk";
import { loggedBody, loggedHeaders, type ReceivedEvent, type SignatureCheck } from "./log.js";

const utf8 = new TextDecoder();

/**
 * Wraps a webhook route's receiver so each delivery is logged whole: the request's headers and raw
 * body, the answer's status and body, the outcome read from that answer. The receiver sees the same
 * bytes (a body over the contract's limit is still refused by it, with a 413).
 *
 * @example
 * ```ts
 * const web = recordDeliveries(handle, "/functions/v1/dobbletap-webhooks", { verify: true }, (entry) => log.push(entry));
 * ```
 */
export function recordDeliveries(
  handle: WebhookHandler,
  path: string,
  options: { verify: boolean },
  record: (entry: ReceivedEvent) => void,
): WebhookHandler {
  return async (request) => {
    const started = performance.now();
    const declared = Number(request.headers.get("content-length") ?? "0");
    // Do not read what the receiver refuses unread.
    const bytes = request.method !== "POST" || declared > MAX_BODY_BYTES ? undefined : await readForLog(request);
    const forwarded =
      bytes === undefined ? request : new Request(request.url, { method: request.method, headers: request.headers, body: bytes });
    const response = await handle(forwarded);
    const answer = await response.clone().text();
    const text = bytes === undefined || bytes.byteLength > MAX_BODY_BYTES ? "" : utf8.decode(bytes);
    record(entryFor(path, request, text, response.status, answer, options.verify, performance.now() - started));
    return response;
  };
}

/**
 * The body to log and hand on, read with the SDK's cap: a body past the contract's limit is handed
 * on as one that is (the receiver answers 413) and logged empty; one cut off mid-way, as empty.
 */
async function readForLog(request: Request): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = await readCappedBody(request.body, MAX_BODY_BYTES).catch(() => new Uint8Array(0));
  return (bytes ?? new Uint8Array(MAX_BODY_BYTES + 1)) as Uint8Array<ArrayBuffer>;
}

function entryFor(path: string, request: Request, text: string, status: number, answer: string, verify: boolean, ms: number): ReceivedEvent {
  const signature: SignatureCheck = !verify
    ? "not checked"
    : !request.headers.has("webhook-signature")
      ? "missing"
      : status === 401
        ? "failed"
        : status === 413 || status === 415
          ? "not checked"
          : "verified";
  const entry: ReceivedEvent = { at: new Date().toISOString(), path, status, ms, direction: "in" };
  const envelope = parse(text) as { event?: unknown; id?: unknown } | undefined;
  if (typeof envelope?.event === "string") entry.event = envelope.event.slice(0, 100);
  const id = request.headers.get("webhook-id") ?? (typeof envelope?.id === "string" ? envelope.id : undefined);
  if (id) entry.id = id.slice(0, 200);
  const body = parse(answer) as { success?: boolean; duplicate?: boolean; result?: unknown; error?: { code?: string; message?: string } } | undefined;
  if (body?.success === true) {
    if (body.duplicate) entry.duplicate = true;
    if (body.result !== undefined) entry.result = body.result;
  } else if (body?.error) {
    if (typeof body.error.code === "string") entry.code = body.error.code;
    if (typeof body.error.message === "string") entry.error = body.error.message;
  }
  entry.request = { method: request.method, headers: loggedHeaders(request.headers, signature), ...loggedBody(text), signature };
  entry.response = { status, ...loggedBody(answer) };
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
