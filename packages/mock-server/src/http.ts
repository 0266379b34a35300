import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The few node:http helpers the admin routes need. Webhook routes never come here: they go through
 * the SDK's receiver, so they answer exactly as a correct implementation would.
 */

/** An admin request body that is not JSON or too large. */
export class BodyError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = "BodyError";
  }
}

const ADMIN_MAX_BYTES = 1024 * 1024;

/**
 * Reads a small JSON body; an empty body is `{}`.
 *
 * @example
 * ```ts
 * const body = await readJson(req); // throws BodyError for bad JSON
 * ```
 */
export function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = () => new BodyError(`The body is larger than ${ADMIN_MAX_BYTES} bytes (1 MiB): admin bodies are small JSON.`, 413);
    // Refused before a byte is read when it says so; the answer closes the connection (sendJson).
    if (Number(req.headers["content-length"]) > ADMIN_MAX_BYTES) {
      req.resume();
      return reject(tooLarge());
    }
    req.on("data", (chunk: Buffer) => {
      if (size > ADMIN_MAX_BYTES) return;
      size += chunk.length;
      if (size > ADMIN_MAX_BYTES) {
        // Answered 413 rather than reset: the rest is discarded as it comes, and the answer closes.
        chunks.length = 0;
        return reject(tooLarge());
      }
      chunks.push(chunk);
    });
    req.once("error", () => reject(new BodyError("The body could not be read.")));
    req.once("end", () => {
      if (size > ADMIN_MAX_BYTES) return;
      const text = Buffer.concat(chunks).toString("utf8").trim();
      if (text === "") return resolve({});
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new BodyError("The body is not valid JSON."));
      }
    });
  });
}

/**
 * Answers with a JSON body.
 *
 * @example
 * ```ts
 * sendJson(res, 200, { ok: true });
 * ```
 */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  // Answered before the request's body was read through (413): close rather than drain it.
  const close = res.req?.complete === false ? { connection: "close" } : {};
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...close, ...headers });
  res.end(text);
}

/**
 * A non-contract failure answer (admin routes, gateway-like faults): `{ success: false, error: { message } }`,
 * with no contract code.
 *
 * @example
 * ```ts
 * sendError(res, 404, "No route GET /__mock/x.");
 * ```
 */
export function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { success: false, error: { message } }, headers);
}
