import type { ServerOptions } from "node:http";

/**
 * How long a `node:http` server serving webhooks waits for a client, in milliseconds. Node's own
 * defaults (300 s for a request, 60 s for headers, checked every 30 s) let one client that trickles
 * a byte a second hold a connection for minutes; a webhook is one small POST, sent by a machine.
 *
 * @example
 * ```ts
 * const bounds: ServerBounds = { ...webhookServerBounds, requestTimeoutMs: 60_000 };
 * ```
 */
export interface ServerBounds {
  /** The whole request (headers and body) must arrive within this; else 408 and the connection closes. Default 15 000. */
  requestTimeoutMs: number;
  /** The headers must arrive within this. Default 10 000. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. Default 5 000. */
  idleTimeoutMs: number;
}

/**
 * The bounds the kit's servers use (the mock server) and recommends for `toNodeListener`.
 *
 * @example
 * ```ts
 * webhookServerBounds.requestTimeoutMs; // 15000
 * ```
 */
export const webhookServerBounds: Readonly<ServerBounds> = Object.freeze({
  requestTimeoutMs: 15_000,
  headersTimeoutMs: 10_000,
  idleTimeoutMs: 5_000,
});

/**
 * `node:http` `createServer` options that apply {@link webhookServerBounds} (or yours on top).
 * Node checks the request and header timeouts on an interval (30 s by default); it is made a
 * quarter of the shortest bound, so a bound is enforced within 25 % of itself.
 *
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * import { toNodeListener, webhookServerOptions } from "@dttracker-dobbletap/sdk/node";
 * createServer(webhookServerOptions({ requestTimeoutMs: 30_000 }), toNodeListener(handle)).listen(8787);
 * ```
 */
export function webhookServerOptions(overrides: Partial<ServerBounds> = {}): ServerOptions {
  const bounds = { ...webhookServerBounds, ...overrides };
  for (const [name, value] of Object.entries(bounds)) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 2_147_483_647) {
      throw new RangeError(`${name} must be a whole number of milliseconds ≥ 1; got ${String(value)}.`);
    }
  }
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(bounds.headersTimeoutMs, bounds.requestTimeoutMs);
  return {
    requestTimeout: bounds.requestTimeoutMs,
    headersTimeout,
    keepAliveTimeout: bounds.idleTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.floor(Math.min(headersTimeout, bounds.requestTimeoutMs) / 4)),
  };
}
