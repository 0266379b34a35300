/**
 * Test support for the client's tests (not part of the package's surface, never imported by it):
 * a real node:http receiver on a loopback port that records every request and answers as scripted.
 */
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo, Server as NetServer } from "node:net";
import { eventNames, events, type EventName, type EventResult } from "@dttracker-dobbletap/contracts";

/** One request as the receiver saw it: the raw body text and the headers. */
export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The envelope, parsed from `body`. */
  envelope: { id: string; event: EventName; occurredAt: string; data: unknown };
  /** performance.now() when the request arrived. */
  at: number;
}

/** A scripted answer: JSON (objects), text, or a way to fail. */
export type Reply = { status: number; json?: unknown; text?: string; headers?: Record<string, string> } | "hang" | "destroy";

export type Script = (request: Received, index: number) => Reply | Promise<Reply>;

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: Received[];
  close(): Promise<void>;
}

/** A valid `result` for each event, for success answers: the contract's own example results. */
export const sampleResults = Object.fromEntries(eventNames.map((name) => [name, events[name].exampleResult])) as {
  [E in EventName]: EventResult<E>;
};

/** The contract's success answer for a received envelope. */
export function success(request: Received, extra: Record<string, unknown> = {}): Reply {
  const { id, event } = request.envelope;
  return { status: 200, json: { success: true, eventId: id, result: sampleResults[event], ...extra } };
}

/** A contract error answer. */
export function refuse(status: number, code: string, message: string, headers?: Record<string, string>): Reply {
  return { status, json: { success: false, error: { code, message } }, ...(headers && { headers }) };
}

/** Answers every request with the contract's success. */
export const alwaysSucceed: Script = (request) => success(request);

function write(response: ServerResponse, reply: Exclude<Reply, "hang" | "destroy">): void {
  const headers: Record<string, string> = { ...reply.headers };
  let payload = "";
  if (reply.json !== undefined) {
    payload = JSON.stringify(reply.json);
    headers["content-type"] ??= "application/json";
  } else if (reply.text !== undefined) {
    payload = reply.text;
    headers["content-type"] ??= "text/plain";
  }
  response.writeHead(reply.status, headers).end(payload);
}

/**
 * Starts a receiver on 127.0.0.1, on a free port.
 *
 * @example
 * ```ts
 * const server = await startServer((request, index) => (index === 0 ? { status: 503 } : success(request)));
 * ```
 */
export async function startServer(script: Script = alwaysSucceed): Promise<TestServer> {
  const requests: Received[] = [];
  const hanging = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let envelope: Received["envelope"];
      try {
        envelope = JSON.parse(body) as Received["envelope"];
      } catch {
        envelope = { id: "", event: "offer_sent", occurredAt: "", data: undefined };
      }
      const received: Received = {
        method: request.method ?? "",
        path: request.url ?? "",
        headers: request.headers,
        body,
        envelope,
        at: performance.now(),
      };
      const index = requests.push(received) - 1;
      void Promise.resolve(script(received, index)).then((reply) => {
        if (reply === "hang") hanging.add(response);
        else if (reply === "destroy") request.socket.destroy();
        else write(response, reply);
      });
    });
  });
  return {
    url: await listenOnLoopback(server),
    requests,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}

/** Listens on a free 127.0.0.1 port and resolves with the server's base URL. */
export async function listenOnLoopback(server: NetServer): Promise<string> {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A loopback URL where nothing listens (a port that was free a moment ago). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  const url = await listenOnLoopback(server);
  server.close();
  await once(server, "close");
  return url;
}
