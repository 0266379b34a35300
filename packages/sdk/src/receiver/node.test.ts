// toNodeListener on a real loopback server (port 0): the contract answers survive the node:http
// round trip, big bodies are refused without being buffered, and a client that vanishes mid-body
// does not take the server down. Both paths are covered: the receiver's own (toNodeListener(receiver),
// bytes and headers straight to receive()) and the Web bridge (any (Request) => Promise<Response>,
// through @hono/node-server), and handlers see the same context.request on both.
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { events, MAX_BODY_BYTES } from "@dttracker-dobbletap/contracts";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSigner, generateSecret } from "../signing/index.js";
import { createWebhookReceiver, type HandlerContext, type WebhookHandler, type WebhookReceiver } from "./create-webhook-handler.js";
import { toNodeListener } from "./node.js";
import { endpointFor } from "../../test/support/endpoint-handlers.js";

const secret = generateSecret();
const body = JSON.stringify(events.offer_sent.example);
const result = { type: "offer", id: events.offer_sent.example.data.offer.id, status: "offered" } as const;

async function listen(handle: WebhookHandler | WebhookReceiver): Promise<{ server: Server; url: string }> {
  const server = createServer(toNodeListener(handle));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/dttracker` };
}

async function signedInit(payload = body): Promise<RequestInit> {
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...(await createSigner(secret).headers(events.offer_sent.example.id, payload)) },
    body: payload,
  };
}

/** Sends `total` bytes chunked (no Content-Length) and resolves with the status, or the socket error. */
function sendChunked(url: string, total: number, chunk = 64 * 1024): Promise<number | string> {
  return new Promise((resolve) => {
    const req = httpRequest(url, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    let sent = 0;
    const pump = () => {
      while (sent < total) {
        sent += chunk;
        if (!req.write(Buffer.alloc(chunk, 0x20))) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

describe.each([
  ["the receiver's own path", (receiver: WebhookReceiver) => receiver],
  ["the Web bridge", (receiver: WebhookReceiver): WebhookHandler => receiver.fetch],
])("toNodeListener(...) through %s", (_, wrap) => {
  let server: Server;
  let url: string;
  const contexts: HandlerContext[] = [];
  const seenBodies: string[] = [];

  beforeAll(async () => {
    const receiver = createWebhookReceiver({
      secrets: secret,
      ...endpointFor({
        offer_sent: async (_event, context) => {
          contexts.push(context);
          seenBodies.push(await context.request.text());
          return result;
        },
      }),
    });
    ({ server, url } = await listen(wrap(receiver)));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("toNodeListener(handle) answers a signed offer_sent with the 200 contract answer and a Content-Length", async () => {
    const response = await fetch(url, await signedInit());
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    const text = await response.text();
    expect(response.headers.get("content-length")).toBe(String(Buffer.byteLength(text)));
    expect(JSON.parse(text)).toEqual({ success: true, eventId: events.offer_sent.example.id, result });
    const context = contexts.at(-1)!;
    expect(context.deliveryId).toBe(events.offer_sent.example.id);
    expect(context.request.headers.get("webhook-id")).toBe(events.offer_sent.example.id);
    expect(new URL(context.request.url).pathname).toBe("/webhooks/dttracker");
  });

  it("toNodeListener(handle) answers 405 with Allow: POST", async () => {
    const response = await fetch(url);
    expect([response.status, response.headers.get("allow")]).toEqual([405, "POST"]);
    expect((await response.json()).error.code).toBe("METHOD_NOT_ALLOWED");
  });

  it("toNodeListener(handle) answers 401 for a tampered body", async () => {
    const init = await signedInit();
    const response = await fetch(url, { ...init, body: body.replace("7500000", "7500001") });
    expect(response.status).toBe(401);
  });

  it("toNodeListener(handle) answers 413 from Content-Length without waiting for the body", async () => {
    const status = await new Promise<number | string>((resolve) => {
      const req = httpRequest(url, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": String(MAX_BODY_BYTES * 8) },
      });
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      // Send a little and then nothing: the answer must not depend on the rest arriving.
      req.write(Buffer.alloc(1024, 0x20));
    });
    expect(status).toBe(413);
  });

  it("toNodeListener(handle) answers 413 to a chunked 4 MiB body and keeps serving", async () => {
    const status = await sendChunked(url, 4 * 1024 * 1024);
    // The 413 may race the upload; either the client reads it or its write is reset after it.
    expect([413, "ECONNRESET", "EPIPE"]).toContain(status);
    expect((await fetch(url, await signedInit())).status).toBe(200);
  });

  it("toNodeListener(handle) survives a client that disconnects mid-body", async () => {
    await new Promise<void>((resolve) => {
      const req = httpRequest(url, {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": "5000" },
      });
      req.on("error", () => resolve());
      req.write('{"id":', () => {
        req.destroy();
        setTimeout(resolve, 50);
      });
    });
    expect((await fetch(url, await signedInit())).status).toBe(200);
  });

  it("toNodeListener(handle) gives handlers a context.request carrying the verified body", () => {
    expect(seenBodies.length).toBeGreaterThan(0);
    for (const seen of seenBodies) expect(seen).toBe(body);
    const request = contexts.at(-1)!.request;
    expect([request.method, request.headers.get("content-type"), request.signal.aborted]).toEqual(["POST", "application/json", false]);
  });
});

describe("toNodeListener(any Web handler)", () => {
  it("toNodeListener(handle) writes status, repeated set-cookie headers and a streamed body", async () => {
    const handle: WebhookHandler = async (request) => {
      const text = await request.text();
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode("echo:"));
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
        },
      });
      const headers = new Headers({ "x-kind": "test" });
      headers.append("set-cookie", "a=1");
      headers.append("set-cookie", "b=2");
      return new Response(stream, { status: 202, headers });
    };
    const { server, url } = await listen(handle);
    try {
      const response = await fetch(url, { method: "POST", body: "hello" });
      expect(response.status).toBe(202);
      expect(response.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
      expect(response.headers.get("x-kind")).toBe("test");
      expect(await response.text()).toBe("echo:hello");
    } finally {
      server.close();
    }
  });

  it("toNodeListener(handle) answers 500 INTERNAL when a handler throws instead of answering", async () => {
    const { server, url } = await listen(async () => {
      throw new Error("handler bug with a detail");
    });
    try {
      const response = await fetch(url, { method: "POST", body: "{}" });
      const text = await response.text();
      expect(response.status).toBe(500);
      expect(JSON.parse(text).error.code).toBe("INTERNAL");
      expect(text).not.toContain("handler bug");
    } finally {
      server.close();
    }
  });

  it("toNodeListener(handle) aborts request.signal when the client disconnects", async () => {
    const aborted = vi.fn();
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const { server, url } = await listen(async (request) => {
      request.signal.addEventListener("abort", aborted);
      arrived();
      await new Promise((resolve) => setTimeout(resolve, 200));
      return new Response("late");
    });
    try {
      const controller = new AbortController();
      const pending = fetch(url, { method: "POST", body: "{}", signal: controller.signal }).catch(() => undefined);
      await arrival;
      controller.abort();
      await pending;
      await vi.waitFor(() => expect(aborted).toHaveBeenCalled());
    } finally {
      server.close();
    }
  });
});
