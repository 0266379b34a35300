import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { errorAnswer, errorCodeList, statusOf, type ErrorCode } from "@dttracker-dobbletap/contracts";
import { generateSecret, type RequestOutcome } from "@dttracker-dobbletap/sdk";
import type { NodeListener } from "@dttracker-dobbletap/sdk/node";
import { adminRoutes, createAdmin } from "./admin.js";
import { FaultInjector, type Fault } from "./faults.js";
import { sendError, sendJson } from "./http.js";
import { EventLog, formatLine, type ReceivedEvent } from "./log.js";
import { createWebhookRoutes, type WebhookRoute } from "./receivers.js";
import { demoSeed, type MockParty } from "./seed.js";
import type { MockPersistence } from "./persistence.js";
import { MockState, type MockSeed } from "./state.js";

/**
 * The default base path of each party's functions (Supabase's layout).
 *
 * @example
 * ```ts
 * defaultBase("dobbletap"); // "/functions/v1/make-server-8061e72e"
 * ```
 */
export const defaultBase: Record<MockParty, string> = {
  dobbletap: "/functions/v1/make-server-8061e72e",
  dttracker: "/functions/v1",
};

/**
 * The CLI's default ports (the library's default is 0: any free port).
 *
 * @example
 * ```ts
 * defaultPort("dttracker"); // 4011
 * ```
 */
export const defaultPort: Record<MockParty, number> = { dobbletap: 4010, dttracker: 4011 };

/** Options of {@link startMockServer}; the CLI's flags map onto them one to one. */
export interface MockServerOptions {
  /** Which party to play. Default `dobbletap`. */
  as?: MockParty;
  /** The functions' base path. Default `/functions/v1/make-server-8061e72e` (dobbletap) or `/functions/v1` (dttracker). */
  base?: string;
  /** Default 0 (any free port); the CLI defaults to 4010 / 4011. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The shared signing secret (`whsec_…`); generated when absent (see `generatedSecret` in the result). */
  secret?: string;
  /** Default true. False accepts unsigned requests (for tools that cannot sign); never in production. */
  verifySignatures?: boolean;
  /** Start with this data instead of the demo seed. */
  seed?: MockSeed;
  /** Start with no data at all (ignored when `seed` is given). */
  empty?: boolean;
  /** Dobbletap mode: DTTracker's functions base URL, where accept/decline events go. */
  dttrackerUrl?: string;
  /** Where the per-request lines go. Default: none for the library (the CLI prints to stdout). */
  log?: ((line: string) => void) | false;
  /** How many requests `GET /__mock/events` keeps. Default 10 000. */
  eventLogCapacity?: number;
  /**
   * Keep the state and the remembered deliveries in Postgres or PGlite (`openPersistence`), so they
   * survive a restart: the saved state is loaded instead of the seed. Default: in memory.
   */
  persistence?: MockPersistence;
}

/** A running mock server. */
export interface RunningMockServer {
  /** Origin + base path: the base URL to give a sender, e.g. `http://127.0.0.1:4010/functions/v1/make-server-8061e72e`. */
  url: string;
  /** `http://host:port`, where `/__mock/*` lives. */
  origin: string;
  /** The signing secret in use (generated when none was given). */
  secret: string;
  /** True when the secret was generated (the CLI prints it once). */
  generatedSecret: boolean;
  as: MockParty;
  /** The live state; changes through it are what the next request sees. */
  state: MockState;
  /** The webhook routes served: full URL and the events each accepts. */
  routes: { url: string; events: string[] }[];
  /** The admin routes, one description a line. */
  adminRoutes: string[];
  /** The requests received so far (what `GET /__mock/events` answers). */
  events: EventLog;
  /** Stops accepting, closes idle and open connections, resolves when closed. */
  close(): Promise<void>;
}

/**
 * Starts a mock of one party — Dobbletap or DTTracker — with the contract's rules, an admin API under
 * `/__mock/` and fault injection, on loopback by default.
 *
 * @example
 * ```ts
 * import { startMockServer } from "@dttracker-dobbletap/mock-server";
 * import { createDobbletapClient } from "@dttracker-dobbletap/sdk";
 *
 * const mock = await startMockServer({ as: "dobbletap" });
 * const dobbletap = createDobbletapClient({ baseUrl: mock.url, secret: mock.secret });
 * const sent = await dobbletap.offerSent({ offer });
 * console.log(sent.syncStatus, mock.state.offers.get(offer.id)?.status); // { synced: true, … } "offered"
 * await mock.close();
 * ```
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<RunningMockServer> {
  const as: MockParty = options.as ?? "dobbletap";
  if (as !== "dobbletap" && as !== "dttracker") throw new TypeError(`as must be "dobbletap" or "dttracker", not "${String(as)}".`);
  const base = normaliseBase(options.base ?? defaultBase[as]);
  const host = options.host ?? "127.0.0.1";
  const generatedSecret = options.secret === undefined;
  const secret = options.secret ?? generateSecret();
  const verifySignatures = options.verifySignatures ?? true;
  const seed = (): MockSeed => options.seed ?? (options.empty ? {} : demoSeed(as));
  const log = options.log || undefined;

  const persistence = options.persistence;
  const saved = persistence ? await persistence.load(as) : undefined;
  const state = new MockState(saved ?? seed());
  const persist = persistence && {
    dedupStore: persistence.dedupStore,
    save: (tx: Parameters<MockPersistence["save"]>[2]) => persistence.save(as, state.snapshot(), tx),
  };
  const faults = new FaultInjector();
  const events = new EventLog(options.eventLogCapacity);
  let foreignPending = false;

  const record = (entry: ReceivedEvent) => {
    events.push(entry);
    if (log) log(formatLine(entry));
  };
  const onOutcome = (path: string, outcome: RequestOutcome) => {
    const entry: ReceivedEvent = { at: new Date().toISOString(), path, status: outcome.status, ms: outcome.ms };
    if (outcome.event !== undefined) entry.event = outcome.event;
    if (outcome.id !== undefined) entry.id = outcome.id;
    if (outcome.code !== undefined) entry.code = outcome.code;
    if (outcome.duplicate) entry.duplicate = true;
    if (outcome.result !== undefined) entry.result = outcome.result;
    record(entry);
  };

  let routes: WebhookRoute[] = [];
  const receivers = new Map<string, NodeListener>();
  const buildRoutes = () => {
    routes = createWebhookRoutes(
      as,
      base,
      state,
      verifySignatures
        ? { verify: true, secret }
        : {
            verify: false,
            foreignOnce: () => {
              const once = foreignPending;
              foreignPending = false;
              return once;
            },
          },
      onOutcome,
      persist,
    );
    receivers.clear();
    for (const route of routes) receivers.set(route.path, route.listener);
  };
  buildRoutes();

  const admin = createAdmin({
    as,
    state,
    faults,
    events,
    secret,
    dttrackerUrl: options.dttrackerUrl,
    resetState(empty = false) {
      state.load(empty ? {} : seed());
      buildRoutes();
      if (persistence) void persistence.forgetDeliveries().catch(() => {});
    },
    forgetDeliveries() {
      buildRoutes();
      if (persistence) void persistence.forgetDeliveries().catch(() => {});
    },
    refuseNextSignature() {
      if (!verifySignatures) foreignPending = true;
    },
  });

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    const receiver = receivers.get(path);
    if (receiver !== undefined) {
      const fault = faults.next();
      if (fault === undefined) return receiver(req, res);
      return void injectFault(fault, req, res, path, receiver, record);
    }
    if (path === "/__mock" || path.startsWith("/__mock/")) {
      // Admin changes (reset, seed, decisions) are saved once answered.
      if (persistence && req.method !== "GET") res.once("finish", () => void persistence.save(as, state.snapshot()).catch(() => {}));
      return void admin(req, res, path);
    }
    req.resume();
    const known = routes.map((route) => `POST ${route.path}`).join(", ");
    sendError(res, 404, `No route ${req.method} ${path}. This mock plays ${as}: ${known}; admin under /__mock/.`);
  };

  const server = createServer({ keepAliveTimeout: 5_000 }, listener);
  // A malformed request line or header never reaches the listener; answer it and keep serving.
  server.on("clientError", (_error, socket) => {
    if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
    else socket.destroy();
  });
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  return {
    url: origin + base,
    origin,
    secret,
    generatedSecret,
    as,
    state,
    routes: routes.map((route) => ({ url: origin + route.path, events: route.events })),
    adminRoutes: adminRoutes(as),
    events,
    close: () => closeServer(server),
  };
}

function normaliseBase(base: string): string {
  const trimmed = base.trim().replace(/\/+$/, "");
  return trimmed === "" ? "" : trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

const codeByStatus = new Map<number, ErrorCode>();
for (const code of errorCodeList) if (!codeByStatus.has(statusOf(code))) codeByStatus.set(statusOf(code), code);

/** Applies an injected fault; the request is not processed (unless the fault is latency alone). */
async function injectFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  receiver: NodeListener,
  record: (entry: ReceivedEvent) => void,
): Promise<void> {
  const started = performance.now();
  if (fault.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  if (fault.kind === "none") return receiver(req, res);
  const entry: ReceivedEvent = {
    at: new Date().toISOString(),
    path,
    status: fault.kind === "drop" ? 0 : fault.status,
    fault: fault.kind,
    ms: performance.now() - started,
  };
  const id = req.headers["webhook-id"];
  if (typeof id === "string") entry.id = id.slice(0, 100);
  record(entry);
  if (fault.kind === "drop") {
    req.socket.destroy();
    return;
  }
  req.resume();
  const code = codeByStatus.get(fault.status) ?? "INTERNAL";
  const headers: Record<string, string> = { connection: "close" };
  if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
  sendJson(
    res,
    fault.status,
    errorAnswer(code, `Fault injected by the mock server (HTTP ${fault.status}); the event was not processed. Retry with the same webhook-id.`),
    headers,
  );
}
