/**
 * Hostile answers on a real loopback socket: what no well-behaved receiver writes (a 2xx whose body
 * is cut, a lying Content-Length, a chunked body cut short, a Content-Encoding that does not match,
 * a huge or trickling body). Each send must resolve (never reject) with a delivery failure, retried
 * and queued when it may pass later, and never buffer more than MAX_ANSWER_BYTES.
 */
import { gzipSync } from "node:zlib";
import { events } from "@dttracker-dobbletap/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { head, startRawServer, webhookId, type RawAnswer, type RawServer } from "../../test/support/raw-server.js";
import { generateSecret } from "../signing/index.js";
import { createDobbletapClient } from "./create-client.js";
import { MAX_ANSWER_BYTES } from "./read-answer.js";
import { createMemoryRetryQueue } from "./retry-queue.js";
import { sampleResults } from "../../test/support/test-server.js";

const offer = events.offer_sent.example.data;
let server: RawServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

function successBody(id: string): string {
  return JSON.stringify({ success: true, eventId: id, result: sampleResults.offer_sent });
}

async function send(answer: RawAnswer, options: { timeoutMs?: number; attempts?: number } = {}) {
  server = await startRawServer(answer);
  const retryQueue = createMemoryRetryQueue();
  const client = createDobbletapClient({
    baseUrl: server.url,
    secret: generateSecret(),
    timeoutMs: options.timeoutMs ?? 2_000,
    retry: { attempts: options.attempts ?? 2, initialDelayMs: 1, maxDelayMs: 5, totalTimeoutMs: 10_000 },
    retryQueue,
  });
  const sent = await client.offerSent(offer);
  return { sent, queued: retryQueue.list().length, requests: server.requests.length };
}

describe("a send always resolves, whatever the 2xx answer's body does on the wire", () => {
  it("a 200 whose Content-Length promises more than is sent (connection closed) is a retried, queued NETWORK_ERROR", async () => {
    const { sent, queued, requests } = await send((socket, request) => {
      const body = successBody(webhookId(request));
      socket.end(head(200, { "content-type": "application/json", "content-length": body.length + 100 }) + body);
    });
    expect(sent.syncStatus).toMatchObject({ synced: false, error: { code: "NETWORK_ERROR" }, retryQueued: true });
    expect(sent.syncStatus.error?.message).toMatch(/answered 200 .* cut off or could not be decoded/);
    expect(requests).toBe(2);
    expect(queued).toBe(1);
  });

  it("a 200 whose chunked body is cut before the last chunk is a NETWORK_ERROR, not a throw", async () => {
    const { sent } = await send((socket, request) => {
      const body = successBody(webhookId(request));
      socket.end(`${head(200, { "content-type": "application/json", "transfer-encoding": "chunked" })}${body.length.toString(16)}\r\n${body.slice(0, 10)}`);
    });
    expect(sent.syncStatus).toMatchObject({ synced: false, error: { code: "NETWORK_ERROR" }, retryQueued: true });
  });

  it.each(["gzip", "br", "deflate"])("a 200 declaring Content-Encoding %s over plain JSON is a NETWORK_ERROR, not a throw", async (encoding) => {
    const { sent } = await send((socket, request) => {
      const body = successBody(webhookId(request));
      socket.end(head(200, { "content-type": "application/json", "content-encoding": encoding, "content-length": body.length }) + body);
    });
    expect(sent.syncStatus).toMatchObject({ synced: false, error: { code: "NETWORK_ERROR" }, retryQueued: true });
  });

  it("a 200 whose gzip body is real is still synced (the reader decodes what fetch decodes)", async () => {
    const { sent } = await send((socket, request) => {
      const body = gzipSync(successBody(webhookId(request)));
      socket.end(
        Buffer.concat([Buffer.from(head(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": body.length })), body]),
      );
    });
    expect(sent.syncStatus).toEqual({ synced: true, error: null, retryQueued: false });
  });

  it("a 200 with an endless body is read only up to MAX_ANSWER_BYTES, then is an INVALID_ANSWER (not retried, not queued)", async () => {
    let written = 0;
    const { sent, requests, queued } = await send((socket) => {
      socket.write(head(200, { "content-type": "application/json", "transfer-encoding": "chunked" }));
      const chunk = `${(64 * 1024).toString(16)}\r\n${"x".repeat(64 * 1024)}\r\n`;
      const pump = () => {
        // Bounded: 64 MiB at most, far more than the cap.
        while (written < 64 * 1024 * 1024 && !socket.destroyed) {
          written += 64 * 1024;
          if (!socket.write(chunk)) return void socket.once("drain", pump);
        }
        socket.end("0\r\n\r\n");
      };
      pump();
    });
    expect(sent.syncStatus).toMatchObject({ synced: false, error: { code: "INVALID_ANSWER" }, retryQueued: false });
    expect(sent.syncStatus.error?.message).toContain(`larger than ${MAX_ANSWER_BYTES} bytes`);
    expect(requests).toBe(1);
    expect(queued).toBe(0);
    // The reader stopped: the sender did not take the whole 64 MiB.
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });

  it("a 200 whose body trickles past timeoutMs is a TIMEOUT within the bound", async () => {
    const timers: NodeJS.Timeout[] = [];
    const started = performance.now();
    const { sent } = await send(
      (socket) => {
        socket.write(head(200, { "content-type": "application/json", "content-length": 1000 }));
        const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(" ")), 50);
        timers.push(timer);
      },
      { timeoutMs: 300, attempts: 2 },
    );
    for (const timer of timers) clearInterval(timer);
    expect(sent.syncStatus).toMatchObject({ synced: false, retryQueued: true });
    expect(["TIMEOUT", "NETWORK_ERROR"]).toContain(sent.syncStatus.error?.code);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});
