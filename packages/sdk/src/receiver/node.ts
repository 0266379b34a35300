import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { CappedBytes } from "./read-body.js";
import type { WebhookReceiver } from "./receiver.js";
import type { WebhookHandler } from "./types.js";

/**
 * A `node:http` request listener (also what Express and `http.createServer` take).
 *
 * @example
 * ```ts
 * const listener: NodeListener = toNodeListener(receiver);
 * app.post("/dobbletap-webhooks", listener); // Express: mount it before any body parser
 * ```
 */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

const JSON_HEADERS = { "content-type": "application/json" } as const;
const INTERNAL_BODY = JSON.stringify({
  success: false,
  error: { code: "INTERNAL", message: "The receiver failed unexpectedly. Retry later with the same webhook-id." },
});

/**
 * Serves a receiver on `node:http`. Given the receiver of `createWebhookReceiver` (or anything with
 * its `receive`), it reads the body with a running size cap (an oversize upload is never buffered:
 * past the cap it is drained, up to 16 MiB, so the sender reads the 413 rather than a reset), hands
 * the bytes and node's headers to `receiver.receive` and writes the answer: no Web `Request` or
 * `Response` is built, unless a handler reads `context.request`. Given any other
 * Web-standard handler (`createWebhookHandler`'s, `createProviderStates`'), it bridges through
 * `@hono/node-server`. A client that disconnects mid-request never crashes the server.
 *
 * Apply the time bounds to the server itself: `createServer(webhookServerOptions(), listener)`.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { createWebhookReceiver } from "@dttracker-dobbletap/sdk";
 * import { toNodeListener, webhookServerOptions } from "@dttracker-dobbletap/sdk/node";
 *
 * const receiver = createWebhookReceiver({ endpoint: "dttracker.webhooks", secrets, handlers });
 * createServer(webhookServerOptions(), toNodeListener(receiver)).listen(8787);
 * ```
 */
export function toNodeListener(target: Pick<WebhookReceiver, "receive"> | WebhookHandler): NodeListener {
  if (typeof target === "function") return bridge(target);
  if (typeof target !== "object" || target === null || typeof target.receive !== "function") {
    throw new TypeError("toNodeListener takes a receiver from createWebhookReceiver(...) or a (Request) => Promise<Response> handler.");
  }
  return (req, res) => {
    serve(target, req, res).catch(() => lastResort(res));
  };
}

/** Any Web handler, through Hono's node bridge (which leaves the global Request and Response alone). */
function bridge(handle: WebhookHandler): NodeListener {
  const answer = async (request: Request, { incoming, outgoing }: { incoming: IncomingMessage; outgoing: ServerResponse }) => {
    const response = await handle(request);
    // Answered before the body was read through (413): close rather than keep an unread upload on
    // the connection, so the client reads the answer instead of a reset.
    if (!incoming.complete) outgoing.setHeader("connection", "close");
    return response;
  };
  const listener = getRequestListener(answer as Parameters<typeof getRequestListener>[0], {
    overrideGlobalObjects: false,
    // A Host-less HTTP/1.0 request still gets an answer, as before the bridge.
    hostname: "localhost",
    // A handler that breaks its promise to answer (createWebhookHandler's never does).
    errorHandler: () => new Response(INTERNAL_BODY, { status: 500, headers: JSON_HEADERS }),
  });
  return (req, res) => {
    listener(req, res).catch(() => lastResort(res));
  };
}

async function serve(receiver: Pick<WebhookReceiver, "receive">, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // An unhandled 'error' event (a reset socket) would crash the process; these listeners own them.
  req.on("error", ignore);
  res.on("error", ignore);
  let answer = await receiver.receive({
    method: req.method ?? "GET",
    headers: req.headers,
    body: (limit) => readBody(req, limit),
    request: (body) => toRequest(req, res, body),
  });
  if (res.destroyed) return;
  // A status node would refuse (a bug upstream) is a 500, not a throw that ends the process.
  if (!isHttpStatus(answer.status)) answer = { status: 500, headers: JSON_HEADERS, body: INTERNAL_BODY };
  // Answered before the body was read through (405, 413): close rather than drain an unbounded upload.
  if (!req.complete) res.setHeader("connection", "close");
  res.statusCode = answer.status;
  for (const name in answer.headers) res.setHeader(name, answer.headers[name]!);
  // end() with the whole body lets node send a Content-Length.
  res.end(answer.body);
}

/**
 * How much of an upload past the cap is read and dropped before the 413 is written: closing the
 * connection mid-upload makes the sender's write fail with a reset before it can read the 413, and
 * a sender retries a reset where it gives up on a 413. Past this, the connection is closed.
 */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Reads a node request body with the SDK's one cap ({@link CappedBytes}), resolving `undefined`
 * once it grows past `limit` and the rest of the upload has been drained (up to
 * {@link DRAIN_LIMIT_BYTES}, never kept); rejects when the client disconnects mid-body.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const capped = new CappedBytes(limit);
    let drained = -1;
    const onData = (chunk: Buffer) => {
      if (drained >= 0) {
        drained += chunk.byteLength;
        if (drained <= DRAIN_LIMIT_BYTES) return;
        stop();
        req.pause();
        resolve(undefined);
      } else if (!capped.add(chunk)) drained = 0;
    };
    const onEnd = () => {
      stop();
      resolve(drained >= 0 ? undefined : capped.bytes());
    };
    const onClose = () => {
      stop();
      if (drained >= 0) resolve(undefined);
      else reject(new Error("The client disconnected before the body was complete."));
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

/** `context.request` on node: the method, URL and headers, the verified bytes, aborted when the client goes. */
function toRequest(req: IncomingMessage, res: ServerResponse, body: Uint8Array<ArrayBuffer>): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    try {
      headers.append(raw[index]!, raw[index + 1]!);
    } catch {
      // node:http already refuses malformed headers; skip anything Headers still rejects.
    }
  }
  // The host header is client-controlled; an unusable one must not make the request unbuildable.
  let url: string;
  try {
    url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`).href;
  } catch {
    url = "http://localhost/";
  }
  const controller = new AbortController();
  if (res.destroyed && !res.writableFinished) controller.abort();
  else res.once("close", () => res.writableFinished || controller.abort());
  return new Request(url, { method: req.method ?? "POST", headers, body, signal: controller.signal });
}

function isHttpStatus(status: unknown): status is number {
  return typeof status === "number" && Number.isInteger(status) && status >= 200 && status <= 599;
}

/** Nothing a request does may end the process: a failure while answering drops the connection. */
function lastResort(res: ServerResponse): void {
  try {
    if (!res.headersSent) {
      res.writeHead(500, { ...JSON_HEADERS, connection: "close" }).end(INTERNAL_BODY);
      return;
    }
  } catch {
    // Fall through to dropping the connection.
  }
  if (!res.destroyed) res.destroy();
}

function ignore(): void {}
