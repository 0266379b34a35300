// The mock's server bounds, each on a real loopback socket: a client that trickles its body or its
// headers is cut off within the (settable) request and header timeouts; an admin body over 1 MiB is
// answered 413, not reset; bad percent-encoding in an admin path is a 400, not a 500; and with a
// Content-Length shorter than the body, the real request is answered first and the connection
// closed (the leftover bytes are not answered as a second request ahead of it).
import { once } from "node:events";
import { request as httpRequest } from "node:http";
import { connect, type Socket } from "node:net";
import { events } from "@dttracker-dobbletap/contracts";
import { afterEach, describe, expect, it } from "vitest";
import { startMockServer, type MockServerOptions, type RunningMockServer } from "../src/index.js";

let mock: RunningMockServer | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function start(bounds?: MockServerOptions["bounds"]): Promise<RunningMockServer> {
  mock = await startMockServer({ as: "dobbletap", bounds });
  return mock;
}

/** Opens a socket to the mock and collects everything it says until it closes (bounded by `ms`). */
async function raw(origin: string, ms: number): Promise<{ socket: Socket; closed: Promise<{ text: string; afterMs: number }> }> {
  const { port } = new URL(origin);
  const socket = connect(Number(port), "127.0.0.1");
  await once(socket, "connect");
  const started = performance.now();
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  socket.on("error", () => undefined);
  const closed = new Promise<{ text: string; afterMs: number }>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, afterMs: Number.POSITIVE_INFINITY });
    }, ms);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve({ text, afterMs: performance.now() - started });
    });
  });
  return { socket, closed };
}

/** Writes one byte of `text` every `everyMs` until the socket closes or the text runs out. */
function trickle(socket: Socket, text: string, everyMs: number): void {
  let at = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || at >= text.length) return void clearInterval(timer);
    socket.write(text[at++]!);
  }, everyMs);
  socket.once("close", () => clearInterval(timer));
}

describe("startMockServer({ bounds }): every wait on a client is bounded", () => {
  it("a body trickled at 10 bytes/s is cut off with 408 within requestTimeoutMs (+25 %)", async () => {
    const { origin } = await start({ requestTimeoutMs: 1_000, headersTimeoutMs: 500 });
    const { socket, closed } = await raw(origin, 10_000);
    socket.write(
      "POST /functions/v1/make-server-8061e72e/webhooks/dttracker HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n",
    );
    trickle(socket, "x".repeat(1000), 100);
    const { text, afterMs } = await closed;
    expect(afterMs).toBeLessThan(2_500);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
  });

  it("headers trickled a byte at a time are cut off within headersTimeoutMs (+25 %)", async () => {
    const { origin } = await start({ requestTimeoutMs: 5_000, headersTimeoutMs: 800 });
    const { socket, closed } = await raw(origin, 10_000);
    socket.write("POST / HTTP/1.1\r\n");
    trickle(socket, `x-slow: ${"a".repeat(500)}`, 50);
    const { afterMs } = await closed;
    expect(afterMs).toBeLessThan(2_500);
  });

  it("an idle keep-alive connection is closed after idleTimeoutMs", async () => {
    const { origin } = await start({ idleTimeoutMs: 300 });
    const { socket, closed } = await raw(origin, 10_000);
    socket.write("GET /__mock HTTP/1.1\r\nhost: x\r\n\r\n");
    const { text, afterMs } = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(afterMs).toBeLessThan(2_000);
  });

  it("a bound that is not a whole number of milliseconds is refused at start", async () => {
    await expect(startMockServer({ bounds: { requestTimeoutMs: 0 } })).rejects.toThrow(/requestTimeoutMs must be/);
  });
});

describe("the admin API's bounds", () => {
  it("POST /__mock/faults with a 2 MiB body is answered 413, not reset", async () => {
    const { origin } = await start();
    const status = await new Promise<number | string>((resolve) => {
      const req = httpRequest(`${origin}/__mock/faults`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      req.setTimeout(10_000, () => req.destroy());
      let sent = 0;
      const pump = () => {
        while (sent < 2 * 1024 * 1024) {
          sent += 64 * 1024;
          if (!req.write(Buffer.alloc(64 * 1024, 0x20))) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it("POST /__mock/faults with a declared Content-Length over 1 MiB is 413 before the body is read", async () => {
    const { origin } = await start();
    const { socket, closed } = await raw(origin, 5_000);
    socket.write(`POST /__mock/faults HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${4 * 1024 * 1024}\r\n\r\n{`);
    const { text } = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 413/);
  });

  it("POST /__mock/offers/%E0%A4%A/accept (bad percent-encoding) is a 400 that says so", async () => {
    const { origin } = await start();
    const response = await fetch(`${origin}/__mock/offers/%E0%A4%A/accept`, { method: "POST", signal: AbortSignal.timeout(5_000) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/percent-encoding/);
  });
});

describe("a Content-Length shorter than the body", () => {
  it("the real request is answered first (401 unsigned), then the connection is closed; no 400 comes ahead of it", async () => {
    const { origin } = await start();
    const { socket, closed } = await raw(origin, 5_000);
    const body = JSON.stringify(events.offer_sent.example);
    socket.write(
      `POST /functions/v1/make-server-8061e72e/webhooks/dttracker HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 20\r\n\r\n${body}`,
    );
    const { text, afterMs } = await closed;
    expect(text).toMatch(/^HTTP\/1\.1 401/);
    expect(text.match(/HTTP\/1\.1 \d{3}/g)).toEqual(["HTTP/1.1 401"]);
    expect(afterMs).toBeLessThan(5_000);
  });
});
