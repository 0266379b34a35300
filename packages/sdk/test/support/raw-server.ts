/**
 * Test support: a loopback TCP server that reads one HTTP request and answers with raw bytes, so a
 * test can put on the wire what no well-behaved HTTP server would write (a lying Content-Length, a
 * chunked body cut short, gzip that is not gzip, a body that trickles).
 */
import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { listenOnLoopback } from "./test-server.js";

/** What the server read of one request. */
export interface RawRequest {
  head: string;
  body: Buffer;
}

/** Writes an answer on the socket; it may end or destroy the socket, or leave it hanging. */
export type RawAnswer = (socket: Socket, request: RawRequest) => void | Promise<void>;

export interface RawServer {
  url: string;
  /** Requests read so far. */
  requests: RawRequest[];
  close(): Promise<void>;
}

/** Starts a raw answerer on 127.0.0.1 on a free port. Every socket is destroyed on close. */
export async function startRawServer(answer: RawAnswer): Promise<RawServer> {
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString("latin1");
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
      const body = buffered.subarray(end + 4);
      if (body.byteLength < length) return;
      socket.off("data", onData);
      const request = { head, body: body.subarray(0, length) };
      requests.push(request);
      void Promise.resolve(answer(socket, request)).catch(() => socket.destroy());
    };
    socket.on("data", onData);
  });
  return {
    url: await listenOnLoopback(server),
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, "close");
    },
  };
}

/** The status line and headers of an answer, ready to write. */
export function head(status: number, headers: Record<string, string | number>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return [`HTTP/1.1 ${status} X`, ...lines, "", ""].join("\r\n");
}

/** The webhook id of a raw request (from its headers). */
export function webhookId(request: RawRequest): string {
  return /\r\nwebhook-id:\s*(\S+)/i.exec(request.head)?.[1] ?? "";
}
