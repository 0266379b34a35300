// webhookServerOptions(bounds): the createServer options that bound how long a webhook server waits
// for a client, checked against a real loopback server running toNodeListener.
import { endpointFor, resultOf } from "../../test/support/endpoint-handlers.js";
import { once } from "node:events";
import { createServer } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { generateSecret } from "../signing/index.js";
import { createWebhookReceiver } from "./create-webhook-handler.js";
import { toNodeListener } from "./node.js";
import { webhookServerBounds, webhookServerOptions } from "./server-bounds.js";

describe("webhookServerOptions(bounds)", () => {
  it("maps the documented defaults (15 s request, 10 s headers, 5 s idle) onto node's options, checked often enough", () => {
    expect(webhookServerBounds).toEqual({ requestTimeoutMs: 15_000, headersTimeoutMs: 10_000, idleTimeoutMs: 5_000 });
    expect(webhookServerOptions()).toEqual({
      requestTimeout: 15_000,
      headersTimeout: 10_000,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: 2_500,
    });
  });

  it("takes overrides, keeps headers within the request bound, and refuses a bound that is not whole milliseconds ≥ 1", () => {
    expect(webhookServerOptions({ requestTimeoutMs: 4_000 })).toMatchObject({ requestTimeout: 4_000, headersTimeout: 4_000 });
    expect(() => webhookServerOptions({ idleTimeoutMs: 0 })).toThrow(RangeError);
    expect(() => webhookServerOptions({ headersTimeoutMs: 1.5 })).toThrow(/headersTimeoutMs/);
  });

  it("over a loopback socket: toNodeListener on such a server cuts off a trickled body within the request bound", async () => {
    const receiver = createWebhookReceiver({ secrets: generateSecret(), ...endpointFor({ offer_sent: () => resultOf("offer_sent") }) });
    const server = createServer(webhookServerOptions({ requestTimeoutMs: 800, headersTimeoutMs: 400 }), toNodeListener(receiver));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const socket = connect((server.address() as AddressInfo).port, "127.0.0.1");
      await once(socket, "connect");
      socket.on("error", () => undefined);
      const started = performance.now();
      socket.write("POST /webhooks/dttracker HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n");
      const timer = setInterval(() => socket.writable && socket.write("x"), 100);
      const closed = await Promise.race([
        new Promise<number>((resolve) => socket.once("close", () => resolve(performance.now() - started))),
        new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), 10_000)),
      ]);
      clearInterval(timer);
      socket.destroy();
      expect(closed).toBeLessThan(2_500);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
