import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { errorAnswer, errorCodeList, parties, statusOf, type ErrorCode } from "@dttracker-dobbletap/contracts";
import { generateSecret, type RequestOutcome } from "@dttracker-dobbletap/sdk";
import { webhookServerOptions, type NodeListener, type ServerBounds } from "@dttracker-dobbletap/sdk/node";
import { adminRoutes, createAdmin } from "./admin.js";
import { guardConnections } from "./connection-guard.js";
import { FaultInjector, type Fault } from "./faults.js";
import { sendError, sendJson } from "./http.js";
import { EventLog, formatJsonLine, formatLine, loggedHeaders, type ReceivedEvent } from "./log.js";
import { recordDeliveries } from "./record-deliveries.js";
import type { Receiver } from "./receiver-seam.js";
import { createWebhookRoutes, type WebhookRoute } from "./receivers.js";
import { demoSeed, type MockParty } from "./seed.js";
import type { MockPersistence } from "./persistence.js";
import { DEFAULT_MAX_OFFERS, MockState, type MockSeed } from "./state.js";

/**
 * The default base path of each party's functions (Supabase's layout): the contract's `parties[as].basePath`.
 *
 * @example
 * ```ts
 * defaultBase.dobbletap; // "/functions/v1/make-server-8061e72e"
 * ```
 */
export const defaultBase: Record<MockParty, string> = {
  dobbletap: parties.dobbletap.basePath,
  dttracker: parties.dttracker.basePath,
};

/**
 * The CLI's default ports (the library's default is 0: any free port).
 *
 * @example
 * ```ts
 * defaultPort.dttracker; // 4011
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
  /**
   * The v1 signing secret (`whsec_…`): verifies what the mock receives and signs what it sends.
   * Generated when neither it nor `verifyKey` is given (see `generatedSecret` in the result).
   */
  secret?: string;
  /**
   * v1a, one key per direction: the other party's public key (`whpk_…`) that requests to the mock
   * must be signed for. With `secret` too, either signature passes (a migration); alone, v1 is refused.
   */
  verifyKey?: string;
  /** v1a: the mock's own secret key (`whsk_…`), signing what it sends (Dobbletap's offer decisions). */
  signingKey?: string;
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
  /** `text` (default): one readable line per delivery; `json`: one JSON object per line. */
  logFormat?: "text" | "json";
  /**
   * At most this many offers are kept (default {@link DEFAULT_MAX_OFFERS}, 100 000; `Infinity`: no
   * bound). Past it the oldest finished offer (accepted, declined, cancelled) is forgotten first, then
   * the oldest `offered` one; `GET /__mock` counts them. An event that names a forgotten offer is
   * answered as for an offer never seen (the README's "Bounded state").
   */
  maxOffers?: number;
  /** How many requests `GET /__mock/events` keeps. Default 10 000. */
  eventLogCapacity?: number;
  /**
   * Keep the state and the remembered deliveries in Postgres or PGlite (`openPersistence`), so they
   * survive a restart: the saved state is loaded instead of the seed. Default: in memory.
   */
  persistence?: MockPersistence;
  /**
   * How long a client may take (request 15 s, headers 10 s, idle keep-alive 5 s by default:
   * `webhookServerBounds` of `@dttracker-dobbletap/sdk/node`); a slower client gets 408 and is disconnected.
   */
  bounds?: Partial<ServerBounds>;
}

/** A running mock server. */
export interface RunningMockServer {
  /** Origin + base path: the base URL to give a sender, e.g. `http://127.0.0.1:4010/functions/v1/make-server-8061e72e`. */
  url: string;
  /** `http://host:port`, where `/__mock/*` lives. */
  origin: string;
  /** The v1 signing secret in use (generated when neither it nor `verifyKey` was given); undefined for a v1a-only mock. */
  secret: string | undefined;
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
  const generatedSecret = options.secret === undefined && options.verifyKey === undefined;
  const secret = options.secret ?? (generatedSecret ? generateSecret() : undefined);
  const verifySignatures = options.verifySignatures ?? true;
  const seed = (): MockSeed => options.seed ?? (options.empty ? {} : demoSeed(as));
  const log = options.log || undefined;

  const persistence = options.persistence;
  const saved = persistence ? await persistence.load(as) : undefined;
  const state = new MockState(saved ?? seed(), { maxOffers: options.maxOffers ?? DEFAULT_MAX_OFFERS });
  const persist = persistence && {
    dedupStore: persistence.dedupStore,
    save: (tx: Parameters<MockPersistence["save"]>[2]) => persistence.save(as, state.snapshot(), tx),
  };
  const faults = new FaultInjector();
  const events = new EventLog(options.eventLogCapacity);
  let foreignPending = false;

  const format = options.logFormat === "json" ? formatJsonLine : formatLine;
  const record = (entry: ReceivedEvent) => {
    events.push(entry);
    if (log) log(format(entry));
  };
  // The log is written from each request and its answer (recordDeliveries), not from the outcome.
  const onOutcome = (_path: string, _outcome: RequestOutcome) => {};
  const wrap = (receiver: Receiver, path: string) => recordDeliveries(receiver, path, { verify: verifySignatures }, record);

  let routes: WebhookRoute[] = [];
  const receivers = new Map<string, NodeListener>();
  const buildRoutes = () => {
    routes = createWebhookRoutes(
      as,
      base,
      state,
      verifySignatures
        ? { verify: true, secret, verifyKey: options.verifyKey }
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
      wrap,
    );
    receivers.clear();
    for (const route of routes) receivers.set(route.path, route.listener);
  };
  buildRoutes();

  let origin = "";
  const admin = createAdmin({
    as,
    state,
    faults,
    events,
    secret,
    signingKey: options.signingKey,
    dttrackerUrl: options.dttrackerUrl,
    origin: () => origin,
    record,
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
    // v1.1: an unknown path is the contract's 404 NOT_FOUND (its message never echoes the raw path at length).
    sendJson(
      res,
      statusOf("NOT_FOUND"),
      errorAnswer("NOT_FOUND", `No endpoint at ${path.slice(0, 200)}. This mock plays ${as}: ${known}; admin under /__mock/.`),
    );
  };

  const server = createServer(webhookServerOptions(options.bounds), listener);
  guardConnections(server);
  await listen(server, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

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

// The contract code an injected status stands for: the generic code of its status, never a
// specific one (a 404 fault is NOT_FOUND, not CAMPAIGN_NOT_FOUND). 502/503/504 have none: v1.1
// says they come from gateways and carry no contract code.
const faultCodes: Partial<Record<number, ErrorCode>> = {};
for (const code of errorCodeList) faultCodes[statusOf(code)] ??= code;

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
    direction: "in",
    error: fault.kind === "drop" ? "Fault injected: the connection was cut." : `Fault injected: HTTP ${fault.status}; the event was not processed.`,
  };
  const id = req.headers["webhook-id"];
  if (typeof id === "string") entry.id = id.slice(0, 100);
  const received = Object.entries(req.headers).flatMap(([name, value]) => (typeof value === "string" ? [[name, value] as [string, string]] : []));
  // The body is not read: a faulted delivery is refused before the receiver sees it.
  entry.request = { method: req.method ?? "POST", headers: loggedHeaders(received, "not checked"), body: "", signature: "not checked" };
  record(entry);
  if (fault.kind === "drop") {
    req.socket.destroy();
    return;
  }
  req.resume();
  const code = faultCodes[fault.status];
  const headers: Record<string, string> = { connection: "close" };
  if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
  const message = `Fault injected by the mock server (HTTP ${fault.status}); the event was not processed. Retry with the same webhook-id.`;
  // A status with no contract code (502, 503, 504, 429…) answers as a gateway would: no contract body.
  if (code === undefined) return void sendError(res, fault.status, message, headers);
  sendJson(res, fault.status, errorAnswer(code, message), headers);
}
