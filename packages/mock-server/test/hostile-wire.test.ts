// Hostile framing on a real loopback socket, found by fast-check rather than listed: a request whose
// Content-Length is shorter than what follows it, with any leftover bytes (a second request, garbage,
// nothing). No request can end the process, and the real request is answered first: the first
// answer on the connection is exactly what the same request gets when framed honestly.
import { once } from "node:events";
import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockServer, type RunningMockServer } from "../src/index.js";

let mock: RunningMockServer;
let port: number;
beforeAll(async () => {
  mock = await startMockServer({ as: "dobbletap", bounds: { requestTimeoutMs: 2_000, headersTimeoutMs: 1_000, idleTimeoutMs: 500 } });
  port = Number(new URL(mock.origin).port);
});
afterAll(() => mock.close());

/** Writes raw bytes on a fresh connection; resolves with all it was told before close (bounded). */
async function exchange(bytes: string): Promise<string> {
  const socket = connect(port, "127.0.0.1");
  socket.on("error", () => undefined);
  await once(socket, "connect");
  let text = "";
  socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
  const closed = new Promise<void>((resolve) => {
    const timer = setTimeout(() => (socket.destroy(), resolve()), 4_000);
    socket.once("close", () => (clearTimeout(timer), resolve()));
  });
  socket.end(bytes);
  await closed;
  return text;
}

function statusOf(text: string): string | undefined {
  return /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
}

const request = fc.record({
  path: fc.constantFrom("/functions/v1/make-server-8061e72e/webhooks/dttracker", "/__mock/offers/%E0%A4%A/accept", "/__mock/state", "/nope"),
  contentType: fc.constantFrom("application/json", "text/plain"),
  body: fc.string({ unit: fc.constantFrom(...'{}[]":,abc123 '), minLength: 1, maxLength: 120 }),
  shortBy: fc.integer({ min: 1, max: 60 }),
  leftover: fc.oneof(
    fc.constant(""),
    fc.string({ unit: fc.constantFrom(..."GET /x\r\n:{}ab"), maxLength: 60 }),
    fc.constant("GET /__mock HTTP/1.1\r\nhost: x\r\n\r\n"),
  ),
});

describe("property: hostile framing on the mock's socket", () => {
  it("no request can end the process; with a short Content-Length the real request is answered first", async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ path, contentType, body, shortBy, leftover }) => {
        const length = Math.max(0, body.length - shortBy);
        const headHonest = (method: string) =>
          `${method} ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: ${contentType}\r\ncontent-length: ${length}\r\nconnection: close\r\n\r\n`;
        const honest = await exchange(headHonest("POST") + body.slice(0, length));
        const hostile = await exchange(headHonest("POST").replace("connection: close\r\n", "") + body + leftover);
        expect(statusOf(honest)).toBeDefined();
        expect(statusOf(hostile)).toBe(statusOf(honest));
      }),
      { numRuns: 60 },
    );
    // Still serving.
    expect((await fetch(`${mock.origin}/__mock`, { signal: AbortSignal.timeout(5_000) })).status).toBe(200);
  });
});
