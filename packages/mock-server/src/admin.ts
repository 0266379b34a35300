import type { IncomingMessage, ServerResponse } from "node:http";
import { createOfferDecisions } from "./decisions.js";
import { FaultConfigError, parseFaultConfig, type FaultInjector } from "./faults.js";
import { BodyError, readJson, sendError, sendJson } from "./http.js";
import type { EventLog } from "./log.js";
import { applyProviderState, ProviderStateError } from "./provider-states.js";
import type { MockParty } from "./seed.js";
import type { MockState } from "./state.js";

/** What the admin routes act on; owned by the server. */
export interface AdminContext {
  as: MockParty;
  state: MockState;
  faults: FaultInjector;
  events: EventLog;
  secret: string;
  dttrackerUrl: string | undefined;
  /** Reloads the seed (or nothing) and forgets delivered ids. */
  resetState(empty?: boolean): void;
  /** Forgets delivered ids only (Pact replays the same example ids under different states). */
  forgetDeliveries(): void;
  refuseNextSignature(): void;
}

/** The admin routes, for the start-up banner and `GET /__mock`. */
export function adminRoutes(as: MockParty): string[] {
  const routes = [
    "GET    /__mock/state            the whole state (in the seed format)",
    "GET    /__mock/events           every request received on the webhook routes, with its outcome",
    "POST   /__mock/reset            back to the seed; { \"empty\": true } for nothing",
    "POST   /__mock/faults           e.g. { \"status\": 503, \"retryAfter\": 1, \"count\": 2 }, { \"latencyMs\": 200 }, { \"drop\": true }",
    "DELETE /__mock/faults           clear the fault (or POST { \"clear\": true })",
    "POST   /__mock/provider-states  Pact state change: { state, params, action }",
  ];
  if (as === "dobbletap") {
    routes.push(
      "POST   /__mock/offers/{id}/accept   the creator accepts: sends offer_accepted to --dttracker-url",
      "POST   /__mock/offers/{id}/decline  the creator declines ({ \"reason\" }): sends offer_declined",
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
  const decide = createOfferDecisions(context.state, { dttrackerUrl: context.dttrackerUrl, secret: context.secret });
  return async (req, res, path) => {
    const method = req.method ?? "GET";
    try {
      const route = `${method} ${path}`;
      switch (route) {
        case "GET /__mock":
        case "GET /__mock/":
          return sendJson(res, 200, { as: context.as, routes: adminRoutes(context.as) });
        case "GET /__mock/state":
          return sendJson(res, 200, context.state.snapshot());
        case "GET /__mock/events":
          return sendJson(res, 200, { total: context.events.total, events: context.events.list() });
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
      return sendError(res, 500, "The admin route failed unexpectedly.");
    }
  };
}
