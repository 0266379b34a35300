import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * Answers what node:http cannot parse without talking over a request still being answered.
 *
 * A malformed request line or header never reaches the listener: it is answered 400 here and the
 * connection closed. When bytes after a request do not parse (a `Content-Length` shorter than the
 * body leaves the rest to be read as the next request), the request already being processed on
 * that connection is answered first, then the connection is closed: a 400 written straight to the
 * socket would arrive before, and be read as, that request's answer.
 *
 * @example
 * ```ts
 * const server = createServer(listener);
 * guardConnections(server);
 * ```
 */
// What node itself would answer for these (its default clientError handler).
const STATUS_BY_CODE: Record<string, string> = {
  ERR_HTTP_REQUEST_TIMEOUT: "408 Request Timeout",
  HPE_HEADER_OVERFLOW: "431 Request Header Fields Too Large",
};

const TIMEOUT_BODY = JSON.stringify({
  success: false,
  error: { message: "The request did not arrive within the server's request timeout. Send it again, in one piece." },
});

export function guardConnections(server: Server): void {
  const open = new WeakMap<Socket, Set<ServerResponse>>();
  const closing = new WeakSet<Socket>();

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    let answering = open.get(socket);
    if (answering === undefined) {
      answering = new Set();
      open.set(socket, answering);
    }
    answering.add(res);
    const done = () => {
      answering.delete(res);
      if (answering.size === 0 && closing.has(socket)) socket.destroySoon();
    };
    res.once("finish", done);
    res.once("close", done);
  });

  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    const answering = open.get(socket);
    if (error.code === "ERR_HTTP_REQUEST_TIMEOUT" && answering !== undefined && answering.size > 0) {
      // The body is still trickling in: that request will never complete, so it gets the 408.
      for (const res of answering) {
        if (!res.headersSent) res.writeHead(408, { "content-type": "application/json", connection: "close" }).end(TIMEOUT_BODY);
      }
      socket.destroySoon();
      return;
    }
    if (answering !== undefined && answering.size > 0) {
      closing.add(socket);
      // Those answers say the connection closes, and node ends it after them.
      for (const res of answering) if (!res.headersSent) res.shouldKeepAlive = false;
      return;
    }
    const status = STATUS_BY_CODE[error.code ?? ""] ?? "400 Bad Request";
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });
}
