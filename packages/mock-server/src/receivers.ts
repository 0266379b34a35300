import { endpoints, eventsAt, MAX_BODY_BYTES, type EndpointId, type EventName } from "@dttracker-dobbletap/contracts";
import {
  ContractError,
  createSigner,
  createWebhookHandler,
  duplicateResult,
  generateSecret,
  readCappedBody,
  type RequestOutcome,
  type WebhookHandler,
  type WebhookSigner,
} from "@dttracker-dobbletap/sdk";
import { toNodeListener, type NodeListener } from "@dttracker-dobbletap/sdk/node";
import type { MockParty } from "./seed.js";
import type { MockState } from "./state.js";
import type { PostgresDedupStore, Queryable } from "@dttracker-dobbletap/sdk/postgres";

/** One webhook route the mock serves. */
export interface WebhookRoute {
  path: string;
  endpoint: EndpointId;
  events: EventName[];
  listener: NodeListener;
}

/** How the receivers check signatures. */
export type SignatureMode =
  /** v1.1: `secret` (v1) and/or `verifyKey` (the sender's whpk_, v1a); a request signed with either passes. */
  | { verify: true; secret?: string; verifyKey?: string }
  /** `--no-verify-signatures`: each request is re-signed before the SDK's receiver sees it. */
  | { verify: false; foreignOnce: () => boolean };

/**
 * The webhook routes of one party, derived from the contract: one SDK receiver per endpoint the party
 * owns, accepting that endpoint's events, each handler applying the event to the state. Built afresh
 * on reset so the receivers' memory of delivered ids goes with the state it described.
 *
 * @example
 * ```ts
 * const routes = createWebhookRoutes("dobbletap", "/functions/v1/make-server-8061e72e", state, { verify: true, verifyKey }, onOutcome);
 * ```
 */
export function createWebhookRoutes(
  as: MockParty,
  base: string,
  state: MockState,
  signatures: SignatureMode,
  onOutcome: (path: string, outcome: RequestOutcome) => void,
  persist?: RoutePersistence,
  /** Wraps each route's Web handler (the mock's delivery log records through it). */
  wrap: (handler: WebhookHandler, path: string) => WebhookHandler = (handler) => handler,
): WebhookRoute[] {
  // With verification off, requests are signed with a secret only this process holds.
  const secret = signatures.verify ? signatures.secret : generateSecret();
  const verifyKey = signatures.verify ? signatures.verifyKey : undefined;
  const signer = createSigner(secret ?? generateSecret());
  const routes: WebhookRoute[] = [];
  for (const endpoint of Object.keys(endpoints) as EndpointId[]) {
    if (endpoints[endpoint].receiver !== as) continue;
    const path = base + endpoints[endpoint].path;
    const accepted = eventsAt(endpoint) as EventName[];
    const apply = applyTo(state);
    const handle =
      persist === undefined
        ? createWebhookHandler({
            ...(secret !== undefined && { secrets: secret }),
            ...(verifyKey !== undefined && { publicKeys: [verifyKey] }),
            endpoint,
            handlers: Object.fromEntries(accepted.map((name) => [name, apply])) as never,
            onOutcome: (outcome) => onOutcome(path, outcome),
          })
        : createWebhookHandler({
            ...(secret !== undefined && { secrets: secret }),
            ...(verifyKey !== undefined && { publicKeys: [verifyKey] }),
            endpoint,
            // The state's snapshot commits with the delivery's remembered answer (persistence.ts).
            dedupStore: persist.dedupStore,
            transactional: true,
            handlers: Object.fromEntries(
              accepted.map((name) => [
                name,
                async (event: Parameters<typeof apply>[0], { tx }: { tx: Queryable }) => {
                  const result = apply(event);
                  await persist.save(tx);
                  return result;
                },
              ]),
            ) as never,
            onOutcome: (outcome) => onOutcome(path, outcome),
          });
    const web = signatures.verify ? handle : resigning(handle, signer, signatures.foreignOnce);
    routes.push({ path, endpoint, events: accepted, listener: toNodeListener(wrap(web, path)) });
  }
  return routes;
}

/** A persisted mock's receivers: its shared dedup store, and the save of the state in a delivery's transaction. */
export interface RoutePersistence {
  dedupStore: PostgresDedupStore;
  save(tx: Queryable): Promise<void>;
}

/** The one handler every event gets: apply to the state, answer with its outcome. */
function applyTo(state: MockState) {
  return (event: Parameters<MockState["apply"]>[0]) => {
    const outcome = state.apply(event);
    if (!outcome.ok) throw new ContractError(outcome.code, outcome.message);
    return outcome.duplicate ? duplicateResult(outcome.result) : outcome.result;
  };
}

const utf8 = new TextDecoder();

/**
 * `--no-verify-signatures`: the SDK's receiver has no signature-less mode (on purpose), so the mock
 * signs each request itself, with a secret only it holds, and hands it on. Everything after the
 * signature check — size, JSON, the contract, `webhook-id` = `id`, dedup, the rules — still runs in
 * the SDK, unchanged. The id signed is the `webhook-id` header if sent, else the envelope's `id`.
 */
function resigning(handle: WebhookHandler, signer: WebhookSigner, foreignOnce: () => boolean): WebhookHandler {
  return async (request) => {
    if (request.method !== "POST") return handle(request);
    const declared = request.headers.get("content-length");
    if (declared !== null && Number(declared) > MAX_BODY_BYTES) return handle(request);
    let bytes: Uint8Array | undefined;
    try {
      bytes = await readCappedBody(request.body, MAX_BODY_BYTES);
    } catch {
      // Cut off mid-body: nothing to sign; the receiver refuses what is left.
      return handle(new Request(request.url, { method: "POST", headers: request.headers, body: "" }));
    }
    // Past the contract's limit: handed on too large, so the receiver answers its 413.
    bytes ??= new Uint8Array(MAX_BODY_BYTES + 1);
    const id = request.headers.get("webhook-id") ?? idOf(bytes) ?? crypto.randomUUID();
    // "Signed with another secret" (a provider state) must still be refused as a verifying receiver would.
    const headers = new Headers(request.headers);
    const signed = await (foreignOnce() ? createSigner(generateSecret()) : signer).headers(id, bytes);
    for (const [name, value] of Object.entries(signed)) headers.set(name, value);
    return handle(new Request(request.url, { method: "POST", headers, body: bytes as Uint8Array<ArrayBuffer> }));
  };
}


function idOf(bytes: Uint8Array): string | undefined {
  try {
    const id = (JSON.parse(utf8.decode(bytes)) as { id?: unknown }).id;
    return typeof id === "string" && id.length <= 200 ? id : undefined;
  } catch {
    return undefined;
  }
}
