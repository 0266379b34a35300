import { pactEventIds, providerStates, providerStatesOf, type Party, type ProviderStateKey as StateKey } from "@dttracker-dobbletap/contracts";
import { isSignatureError } from "../errors/index.js";
import { createVerifier } from "../signing/index.js";

/**
 * The states party `P`'s provider sets up itself: those its pact uses, from the contracts package.
 * `foreignSignature` is not among them: the verifier makes it true by signing with another key, so
 * a provider has nothing to do (the route answers it).
 */
export type ProviderStateKey<P extends Party = Party> = Exclude<(typeof providerStatesOf)[P][number], "foreignSignature">;

/** What a state handler is given: the pact's params for it, and whether it is set up or torn down. */
export interface ProviderStateCall {
  params: Record<string, unknown>;
  action: "setup" | "teardown";
}

/**
 * Makes one provider state true (or undoes it on teardown) against your own database. May return
 * values the verifier can inject into the request.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing is the common case; `void` accepts a function declared to return void, `undefined` would not.
export type ProviderStateHandler = (call: ProviderStateCall) => void | Record<string, unknown> | Promise<void | Record<string, unknown>>;

/** One handler per state of party `P`'s pact: a state added to the contract and missing here is a compile error. */
export type ProviderStateHandlers<P extends Party = Party> = Record<ProviderStateKey<P>, ProviderStateHandler>;

/**
 * Options for {@link createProviderStates}.
 *
 * @example
 * ```ts
 * const options: ProviderStatesOptions<"dttracker"> = { party: "dttracker", enabled: false, secret, handlers };
 * ```
 */
export interface ProviderStatesOptions<P extends Party = Party> {
  /** Whose receiver this is: `dobbletap` or `dttracker`; it decides which states are handled. */
  party: P;
  /**
   * Must be `true` for the route to answer; otherwise every request gets 404 as if it did not exist.
   * Tie it to an environment variable set only on test deployments.
   */
  enabled: boolean;
  /**
   * The key(s) the state-change requests are signed with: the verifier signs each one the way it
   * signs the webhooks it replays (Standard Webhooks headers), so give it the receiver's secret(s).
   */
  secret: string | readonly string[];
  handlers: ProviderStateHandlers<P>;
  /**
   * Where your receiver remembers processed event ids. Before each state is set up, the pacts' own
   * event ids ({@link pactEventIds}) are forgotten — only those — so verifying the same deployment
   * again does not answer the replays from the last run's memory.
   */
  dedupStore?: { forget(id: string): void | Promise<void> };
}

/** A route: Web `Request` in, `Response` out. */
export type ProviderStatesRoute = (request: Request) => Promise<Response>;

const stateByName = new Map<string, StateKey>((Object.entries(providerStates) as Array<[StateKey, string]>).map(([key, name]) => [name.toLowerCase(), key]));

const answer = (status: number, body: Record<string, unknown>) => Response.json(body, { status });
const refuse = (status: number, message: string) => answer(status, { error: { message } });

/**
 * Pact's provider-state change endpoint for a real receiver: `POST { state, params, action }` with
 * `action` `setup` or `teardown`. Each of the contract's states is a function you write against
 * your own database. The route refuses everything unless `enabled` (404) and signed with the
 * receiver's key (401), so a production deployment that mounts it exposes nothing.
 *
 * @example
 * ```ts
 * const states = createProviderStates({
 *   party: "dobbletap",
 *   enabled: Deno.env.get("PACT_PROVIDER_STATES") === "on",
 *   secret: Deno.env.get("WEBHOOK_SECRET")!,
 *   dedupStore,
 *   handlers: {
 *     campaignExists: ({ params }) => db.campaigns.upsert(params.campaignId),
 *     campaignMissing: ({ params }) => db.campaigns.delete(params.campaignId),
 *     creatorExists: ({ params }) => db.creators.upsert(params.creatorId),
 *     offerExists: ({ params }) => db.offers.upsert(params),
 *   },
 * });
 * Deno.serve((request) => new URL(request.url).pathname.endsWith("/__pact/states") ? states(request) : handle(request));
 * ```
 */
export function createProviderStates<P extends Party>(options: ProviderStatesOptions<P>): ProviderStatesRoute {
  const handled = new Set<StateKey>(providerStatesOf[options.party]);
  const secrets = typeof options.secret === "string" ? [options.secret] : options.secret;
  if (secrets.length === 0 || secrets.some((secret) => !secret)) {
    throw new TypeError("createProviderStates needs the receiver's signing secret: the state-change requests are signed with it.");
  }
  const verifier = createVerifier(secrets);
  const forgetPactIds = async () => {
    if (options.dedupStore) for (const id of pactEventIds()) await options.dedupStore.forget(id);
  };

  return async (request) => {
    if (!options.enabled) return refuse(404, "Not found.");
    if (request.method !== "POST") return refuse(405, "Provider states take POST { state, params, action }.");
    const raw = await request.text();
    try {
      await verifier.verify(request.headers, raw);
    } catch (error) {
      if (!isSignatureError(error)) throw error;
      return refuse(401, `State change refused: ${error.message} Sign it with the receiver's secret (dttracker-dobbletap-verify does).`);
    }
    let body: { state?: unknown; params?: unknown; action?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return refuse(400, 'The body must be JSON: { "state": "<name>", "params": { … }, "action": "setup" | "teardown" }.');
    }
    const action = body.action ?? "setup";
    if (action !== "setup" && action !== "teardown") return refuse(400, 'action must be "setup" or "teardown".');
    const params = body.params ?? {};
    if (typeof params !== "object" || params === null || Array.isArray(params)) return refuse(400, "params must be an object.");
    if (body.state !== undefined && typeof body.state !== "string") return refuse(400, "state must be a string.");
    const name = (body.state ?? "").trim();
    if (action === "setup") await forgetPactIds();
    // No state (an interaction without one, or the verifier's preflight): nothing to set up.
    if (name === "") return answer(200, {});
    const key = stateByName.get(name.toLowerCase());
    if (key === undefined) {
      return refuse(400, `Unknown provider state "${name.slice(0, 100)}". Known: ${Object.values(providerStates).join("; ")}.`);
    }
    if (key === "foreignSignature") return answer(200, {});
    if (!handled.has(key)) return refuse(400, `"${name}" is not a state of the ${options.party} pact.`);
    try {
      const injected = await (options.handlers as Record<string, ProviderStateHandler>)[key]!({ params: params as Record<string, unknown>, action });
      return answer(200, injected ?? {});
    } catch (error) {
      // A test-only route: the handler's own message is what the team needs to see.
      return refuse(500, `The handler for "${name}" (${action}) threw: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
