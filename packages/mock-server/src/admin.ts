import type { IncomingMessage, ServerResponse } from "node:http";
import { createOfferDecisions } from "./decisions.js";
import { FaultConfigError, parseFaultConfig, type FaultInjector } from "./faults.js";
import { BodyError, readJson, sendError, sendJson } from "./http.js";
import { inspectorPage } from "./inspector-page.js";
import { matchesFilter, parseEventFilter, type EventLog, type ReceivedEvent } from "./log.js";
import { recordingFetch } from "./record-deliveries.js";
import { replayDelivery, ReplayError } from "./replay.js";
import { applyProviderState, ProviderStateError } from "./provider-states.js";
import type { MockParty } from "./seed.js";
import { recordKinds, type MockState, type RecordKind, type StateCursor } from "./state.js";

/** What the admin routes act on; owned by the server. */
export interface AdminContext {
  as: MockParty;
  state: MockState;
  faults: FaultInjector;
  events: EventLog;
  secret: string | undefined;
  /** v1a: the mock's own whsk_ key for what it sends. */
  signingKey?: string | undefined;
  dttrackerUrl: string | undefined;
  /** `http://host:port` of this mock, once it listens (replays are sent there). */
  origin(): string;
  /** Logs (and prints) a delivery, as the webhook routes do. */
  record(entry: ReceivedEvent): void;
  /** Reloads the seed (or nothing) and forgets delivered ids. */
  resetState(empty?: boolean): void;
  /** Forgets delivered ids only (Pact replays the same example ids under different states). */
  forgetDeliveries(): void;
  refuseNextSignature(): void;
}

/** The admin routes, for the start-up banner and `GET /__mock`. */
export function adminRoutes(as: MockParty): string[] {
  const routes = [
    "GET    /__mock/state            the state in the seed format, a page at a time (?limit=, ?cursor= from next)",
    "GET    /__mock/                 the inspector page (in a browser; JSON for other clients)",
    "GET    /__mock/events           deliveries received, whole; ?event=&status=&id=&after=&limit=, ?direction=out|all",
    "GET    /__mock/events/stream    the same, live (Server-Sent Events; ?after= or Last-Event-ID resumes)",
    "GET    /__mock/events/{seq}     one delivery",
    'POST   /__mock/events/{seq}/replay  send it again, signed afresh: same id, or { "newId": true }',
    "DELETE /__mock/events           forget the deliveries",
    'POST   /__mock/reset            back to the seed; { "empty": true } for nothing',
    'POST   /__mock/faults           e.g. { "status": 503, "retryAfter": 1, "count": 2 }, { "latencyMs": 200 }, { "drop": true }',
    'DELETE /__mock/faults           clear the fault (or POST { "clear": true })',
    "POST   /__mock/provider-states  Pact state change: { state, params, action }",
  ];
  if (as === "dobbletap") {
    routes.push(
      "POST   /__mock/offers/{id}/accept   the creator accepts: sends offer_accepted to --dttracker-url",
      'POST   /__mock/offers/{id}/decline  the creator declines ({ "reason" }): sends offer_declined',
    );
  }
  return routes;
}

/** A path segment decoded, or `undefined` for bad percent-encoding (`%E0%A4%A`). */
function decodePathSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

const DECISION = /^\/__mock\/offers\/([^/]+)\/(accept|decline)$/;
const ONE_EVENT = /^\/__mock\/events\/(\d+)(\/replay)?$/;
const HEARTBEAT_MS = 15_000;

/**
 * Serves `/__mock/*`. No signature is needed: the admin API is for the developer and the test runner
 * on loopback, never for the other party.
 *
 * @example
 * ```ts
 * const admin = createAdmin(context);
 * await admin(req, res, "/__mock/state");
 * ```
 */
export function createAdmin(context: AdminContext): (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> {
  const decide = createOfferDecisions(context.state, {
    dttrackerUrl: context.dttrackerUrl,
    secret: context.secret,
    signingKey: context.signingKey,
    fetch: recordingFetch(context.record),
  });
  return async (req, res, path) => {
    const method = req.method ?? "GET";
    const query = new URL(req.url ?? "/", "http://mock").searchParams;
    try {
      const route = `${method} ${path}`;
      switch (route) {
        case "GET /__mock":
        case "GET /__mock/":
          // A browser asks for HTML first; scripts (curl, fetch) keep getting the JSON they always got.
          if (/^text\/html/.test(req.headers.accept ?? "")) return sendHtml(res, inspectorPage(context.as));
          return sendJson(res, 200, {
            as: context.as,
            routes: adminRoutes(context.as),
            state: context.state.counts(),
            maxOffers: Number.isFinite(context.state.maxOffers) ? context.state.maxOffers : null,
            evicted: context.state.evicted,
          });
        case "GET /__mock/state": {
          const paging = parsePaging(res, query);
          if (!paging) return;
          const { next, ...page } = context.state.page(paging.limit, paging.cursor);
          return sendJson(res, 200, next === undefined ? page : { ...page, next: `${next.kind}.${next.after}` });
        }
        case "GET /__mock/events": {
          const filter = parseFilter(res, query);
          if (!filter) return;
          // As before the log kept sent deliveries: received ones only, unless ?direction=out|all.
          if (!query.has("direction")) filter.direction = "in";
          return sendJson(res, 200, { total: context.events.total, events: context.events.list(filter) });
        }
        case "GET /__mock/events/stream": {
          const filter = parseFilter(res, query);
          if (!filter) return;
          const resume = Number(req.headers["last-event-id"]);
          if (Number.isInteger(resume) && resume >= 0) filter.after = resume;
          return stream(req, res, context.events, filter);
        }
        case "DELETE /__mock/events":
          context.events.clear();
          return sendJson(res, 200, { success: true });
        case "POST /__mock/reset": {
          const body = (await readJson(req)) as { empty?: unknown };
          context.resetState(body.empty === true);
          context.events.clear();
          context.faults.clear();
          return sendJson(res, 200, { success: true, summary: context.state.summary() });
        }
        case "GET /__mock/faults":
          return sendJson(res, 200, context.faults.describe());
        case "DELETE /__mock/faults":
          context.faults.clear();
          return sendJson(res, 200, context.faults.describe());
        case "POST /__mock/faults":
          context.faults.set(parseFaultConfig(await readJson(req)));
          return sendJson(res, 200, context.faults.describe());
        case "POST /__mock/provider-states": {
          const body = await readJson(req);
          // Pact replays the contract's examples, same ids, under different states: forget them.
          context.forgetDeliveries();
          const values = applyProviderState(
            { state: context.state, reset: () => context.resetState(), refuseNextSignature: context.refuseNextSignature },
            body,
          );
          return sendJson(res, 200, values);
        }
      }
      const one = ONE_EVENT.exec(path);
      if (one) {
        const entry = context.events.get(Number(one[1]));
        if (!entry) return sendError(res, 404, `No delivery ${one[1]} in the log (it holds the newest ${context.events.capacity}; a reset clears it).`);
        if (!one[2] && method === "GET") return sendJson(res, 200, entry);
        if (one[2] && method === "POST") {
          const body = (await readJson(req)) as { newId?: unknown };
          if (context.secret === undefined) {
            // v1a-only: the mock holds the sender's public key, which cannot sign anything.
            return sendError(
              res,
              409,
              "Replay re-signs with the mock's v1 secret, and this mock verifies v1a only (it holds just the sender's public key). Start it with --secret too, or resend from the sender.",
            );
          }
          return sendJson(res, 200, await replayDelivery(entry, { origin: context.origin(), secret: context.secret, newId: body.newId === true }));
        }
      }
      const decision = method === "POST" ? DECISION.exec(path) : null;
      if (decision) {
        if (context.as !== "dobbletap") {
          return sendError(res, 404, "Offers are accepted or declined on Dobbletap: start the mock with --as dobbletap.");
        }
        const body = (await readJson(req)) as { reason?: unknown };
        const reason = typeof body.reason === "string" && body.reason.trim() !== "" ? body.reason.trim().slice(0, 500) : undefined;
        const offerId = decodePathSegment(decision[1]!);
        if (offerId === undefined) return sendError(res, 400, `The offer id in ${path} is not valid percent-encoding. Use the offer's UUID.`);
        const answer = await decide(offerId, decision[2] === "accept" ? "accepted" : "declined", reason);
        return sendJson(res, answer.status, answer.body);
      }
      return sendError(res, 404, `No admin route ${method} ${path}. Routes:\n${adminRoutes(context.as).join("\n")}`);
    } catch (error) {
      if (error instanceof BodyError) return sendError(res, error.status, error.message);
      if (error instanceof FaultConfigError || error instanceof ProviderStateError) return sendError(res, 400, error.message);
      if (error instanceof ReplayError) return sendError(res, error.status, error.message);
      return sendError(res, 500, "The admin route failed unexpectedly.");
    }
  };
}

/** How many records a page of `GET /__mock/state` holds unless `?limit=` says otherwise, and at most. */
export const STATE_PAGE = { default: 1000, max: 10_000 } as const;
const CURSOR = new RegExp(`^(${recordKinds.join("|")})\\.(\\d{1,15})$`);

/** `?limit=` and `?cursor=` of `GET /__mock/state`, or a 400 naming the bad one (and undefined). */
function parsePaging(res: ServerResponse, query: URLSearchParams): { limit: number; cursor?: StateCursor } | undefined {
  const rawLimit = query.get("limit");
  const limit = rawLimit === null || rawLimit === "" ? STATE_PAGE.default : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > STATE_PAGE.max) {
    sendError(res, 400, `limit=${rawLimit!.slice(0, 20)}: give a whole number from 1 to ${STATE_PAGE.max} (default ${STATE_PAGE.default}).`);
    return undefined;
  }
  const rawCursor = query.get("cursor");
  if (rawCursor === null || rawCursor === "") return { limit };
  const match = CURSOR.exec(rawCursor);
  if (!match) {
    sendError(res, 400, `cursor=${rawCursor.slice(0, 40)} is not a cursor of this route: pass the "next" of the page before, unchanged (e.g. offers.1234).`);
    return undefined;
  }
  return { limit, cursor: { kind: match[1] as RecordKind, after: Number(match[2]) } };
}

/** The query's filter, or a 400 naming the bad parameter (and undefined). */
function parseFilter(res: ServerResponse, query: URLSearchParams): ReturnType<typeof parseEventFilter> | undefined {
  try {
    return parseEventFilter(query);
  } catch (error) {
    sendError(res, 400, (error as Error).message);
    return undefined;
  }
}

function sendHtml(res: ServerResponse, html: string): void {
  res.writeHead(200, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    // The page runs only its own inline script and talks only to this origin.
    "content-security-policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:",
  });
  res.end(html);
}

// An entry is serialised once however many streams (inspector tabs) send it; entries never change once logged.
const serialised = new WeakMap<ReceivedEvent, string>();
function wireForm(entry: ReceivedEvent): string {
  let text = serialised.get(entry);
  if (text === undefined) {
    text = JSON.stringify(entry);
    serialised.set(entry, text);
  }
  return text;
}

/**
 * `GET /__mock/events/stream`: the log as Server-Sent Events. First the kept entries that match
 * (after `after`), then each new one; `event: clear` when the log is cleared (a reset). A comment
 * every 15 s keeps proxies from closing an idle stream.
 */
function stream(req: IncomingMessage, res: ServerResponse, events: EventLog, filter: ReturnType<typeof parseEventFilter>): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
  const send = (entry: ReceivedEvent) => res.write(`id: ${entry.seq}\nevent: delivery\ndata: ${wireForm(entry)}\n\n`);
  for (const entry of events.list(filter)) send(entry);
  const live = { ...filter, after: undefined, limit: undefined };
  const unsubscribe = events.subscribe((entry) => {
    if (entry === "clear") res.write("event: clear\ndata: {}\n\n");
    else if (matchesFilter(entry, live)) send(entry);
  });
  const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), HEARTBEAT_MS);
  heartbeat.unref();
  const stop = () => {
    clearInterval(heartbeat);
    unsubscribe();
  };
  req.once("close", stop);
  res.once("close", stop);
}
