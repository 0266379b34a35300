import type { IncomingMessage, ServerResponse } from "node:http";
import { receiverOf, type WebhookHandler } from "./create-webhook-handler.js";
import type { DeliveryAnswer, WebhookReceiver } from "./receive.js";

/**
 * A `node:http` request listener (also what Express and `http.createServer` take).
 *
 * @example
 * ```ts
 * const listener: NodeListener = toNodeListener(handle);
 * app.post("/dobbletap-webhooks", listener); // Express: mount it before any body parser
 * ```
 */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Adapts a Web-standard handler to `node:http`. It only moves bytes: the request body is streamed
 * with backpressure and a running size cap, and the answer's status, headers and body are written
 * back. A client that disconnects mid-request never crashes the server.
 *
 * For a handler made by `createWebhookHandler` it calls the receiver core directly with node's
 * headers and the raw body, skipping the Web `Request`/`Response` round trip (the larger part of the
 * per-request cost on Node 20); a handler's `context.request` is then built only if it is read.
 * Any other `(Request) => Promise<Response>` goes through real Web objects.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { createWebhookHandler } from "@dttracker-dobbletap/sdk";
 * import { toNodeListener } from "@dttracker-dobbletap/sdk/node";
 *
 * createServer(toNodeListener(createWebhookHandler({ secrets, handlers }))).listen(8787);
 * ```
 */
export function toNodeListener(handle: WebhookHandler): NodeListener {
  const core = receiverOf(handle);
  if (core !== undefined) {
    return (req, res) => {
      serveCore(core, req, res).catch(() => lastResort(res));
    };
  }
  return (req, res) => {
    serve(handle, req, res).catch(() => lastResort(res));
  };
}

async function serveCore(core: WebhookReceiver, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.on("error", ignore);
  res.on("error", ignore);
  let bytes: Uint8Array | undefined;
  let answer: DeliveryAnswer;
  try {
    answer = await core.receive({
      method: req.method ?? "GET",
      headers: req.headers,
      body: (limit) => readNodeBody(req, limit).then((read) => (bytes = read)),
      // Built only when a handler reads context.request; the body it carries is the bytes read.
      request: () => toRequest(req, undefined, bytes),
    });
  } catch {
    answer = { status: 500, headers: { "content-type": "application/json" }, body: INTERNAL_BODY };
  }
  if (res.destroyed) return;
  // A status node would refuse (a bug upstream) is a 500, not a throw that ends the process.
  if (!isHttpStatus(answer.status)) answer = { status: 500, headers: { "content-type": "application/json" }, body: INTERNAL_BODY };
  // Answered before the body was read through (405, 413): close rather than drain an unbounded upload.
  if (!req.complete) res.setHeader("connection", "close");
  res.statusCode = answer.status;
  for (const name in answer.headers) res.setHeader(name, answer.headers[name]!);
  // end() with the whole body before any write lets node send a Content-Length.
  res.end(answer.body);
}

/**
 * Reads a node request body into one buffer, giving up (resolving `undefined`) as soon as it grows
 * past `limit`; rejects when the client disconnects mid-body.
 */
function readNodeBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > limit) {
        stop();
        req.pause();
        resolve(undefined);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    };
    const onClose = () => {
      stop();
      reject(new Error("The client disconnected before the body was complete."));
    };
    const stop = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("close", onClose);
      req.off("error", onClose);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("close", onClose);
    req.on("error", onClose);
  });
}

const INTERNAL_BODY = JSON.stringify({
  success: false,
  error: { code: "INTERNAL", message: "The receiver failed unexpectedly. Retry later with the same webhook-id." },
});

async function serve(handle: WebhookHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // An unhandled 'error' event (a reset socket) would crash the process; these listeners own them.
  req.on("error", ignore);
  res.on("error", ignore);
  const controller = new AbortController();
  res.once("close", () => {
    if (!res.writableFinished) controller.abort();
  });

  let response: Response;
  try {
    response = await handle(toRequest(req, controller.signal));
  } catch {
    // A handler that breaks its promise to answer; createWebhookHandler's never does.
    response = new Response(INTERNAL_BODY, { status: 500, headers: { "content-type": "application/json" } });
  }
  try {
    await writeResponse(response, req, res);
  } catch {
    // The client went away while we answered: nothing left to tell it.
    if (!res.destroyed) res.destroy();
  }
}

function toRequest(req: IncomingMessage, signal: AbortSignal | undefined, bytes?: Uint8Array): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    try {
      headers.append(raw[index]!, raw[index + 1]!);
    } catch {
      // node:http already refuses malformed headers; skip anything Headers still rejects.
    }
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD";
  // The host header is client-controlled; an unusable one must not make the request unbuildable.
  let url: string;
  try {
    url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`).href;
  } catch {
    url = "http://localhost/";
  }
  return new Request(url, {
    method,
    headers,
    signal,
    body: hasBody ? (bytes ?? bodyStream(req)) : null,
    // Required by undici for a streamed request body.
    duplex: "half",
  } as RequestInit);
}

/**
 * The request body as a Web stream that pulls from the socket only as fast as the handler reads:
 * node pauses the socket when the stream's queue is full, so a huge upload is never buffered here.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let finished = false;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.on("data", (chunk: Buffer) => {
          if (finished) return;
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.once("end", () => {
          if (finished) return;
          finished = true;
          controller.close();
        });
        req.once("close", () => {
          // Closed before 'end': the client disconnected mid-body.
          if (finished) return;
          finished = true;
          controller.error(new Error("The client disconnected before the body was complete."));
        });
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        // The handler stopped reading (e.g. 413). Stop queueing; the rest is discarded by node.
        finished = true;
        req.resume();
      },
    },
    { highWaterMark: 4 },
  );
}

async function writeResponse(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (res.destroyed) {
    await response.body?.cancel().catch(ignore);
    return;
  }
  res.statusCode = response.status;
  const setCookies = response.headers.getSetCookie();
  for (const [name, value] of response.headers) {
    if (name !== "set-cookie") res.setHeader(name, value);
  }
  if (setCookies.length > 0) res.setHeader("set-cookie", setCookies);
  // Answered before the body was read through (413): close the connection rather than drain an
  // unbounded upload to keep it alive.
  if (!req.complete) res.setHeader("connection", "close");

  if (response.body === null) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  const first = await reader.read();
  if (first.done) {
    res.end();
    return;
  }
  const second = await reader.read();
  if (second.done) {
    // One chunk, the usual JSON answer: end() with it lets node send a Content-Length.
    res.end(first.value);
    return;
  }
  for (let chunk: ReadableStreamReadResult<Uint8Array> = first; !chunk.done; ) {
    if (res.destroyed) {
      await reader.cancel().catch(ignore);
      return;
    }
    if (!res.write(chunk.value)) await drained(res);
    chunk = chunk === first ? second : await reader.read();
  }
  res.end();
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

function isHttpStatus(status: unknown): status is number {
  return typeof status === "number" && Number.isInteger(status) && status >= 200 && status <= 599;
}

/** Nothing a request does may end the process: a failure while answering drops the connection. */
function lastResort(res: ServerResponse): void {
  try {
    if (!res.headersSent) {
      res.writeHead(500, { "content-type": "application/json", connection: "close" }).end(INTERNAL_BODY);
      return;
    }
  } catch {
    // Fall through to dropping the connection.
  }
  if (!res.destroyed) res.destroy();
}

function ignore(): void {}
