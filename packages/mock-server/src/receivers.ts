import { endpoints, eventsAt, type EndpointId, type EventName } from "@dttracker-dobbletap/contracts";
import {
  headerOf,
  ContractError,
  createSigner,
  createWebhookReceiver,
  duplicateResult,
  generateSecret,
  type RequestOutcome,
  type WebhookSigner,
} from "@dttracker-dobbletap/sdk";
import { toNodeListener, type NodeListener } from "@dttracker-dobbletap/sdk/node";
import type { MockParty } from "./seed.js";
import type { MockState } from "./state.js";
import type { PostgresDedupStore, Queryable } from "@dttracker-dobbletap/sdk/postgres";
import { tapBody, type Receiver } from "./receiver-seam.js";

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
 * const signatures: SignatureMode = { verify: true, verifyKey: process.env.DTTRACKER_PUBLIC_KEY! }; // the sender's whpk_
 * const onOutcome = (path: string, outcome: RequestOutcome) => console.log(path, outcome.status, outcome.code ?? "");
 * const routes = createWebhookRoutes("dobbletap", "/functions/v1/make-server-8061e72e", new MockState(), signatures, onOutcome);
 * ```
 */
export function createWebhookRoutes(
  as: MockParty,
  base: string,
  state: MockState,
  signatures: SignatureMode,
  onOutcome: (path: string, outcome: RequestOutcome) => void,
  persist?: RoutePersistence,
  /** Wraps each route's receiver core (the mock's delivery log records through it). */
  wrap: (receiver: Receiver, path: string) => Receiver = (receiver) => receiver,
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
    const receiver =
      persist === undefined
        ? createWebhookReceiver({
            ...(secret !== undefined && { secrets: secret }),
            ...(verifyKey !== undefined && { publicKeys: [verifyKey] }),
            endpoint,
            handlers: Object.fromEntries(accepted.map((name) => [name, apply])) as never,
            onOutcome: (outcome) => onOutcome(path, outcome),
          })
        : createWebhookReceiver({
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
    // toNodeListener drains an oversized upload before its 413, so the sender reads the 413.
    const core = signatures.verify ? receiver : resigning(receiver, signer, signatures.foreignOnce);
    routes.push({ path, endpoint, events: accepted, listener: toNodeListener(wrap(core, path)) });
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
 * signs each request itself, with a secret only it holds, once the receiver has read its body (a
 * signature covers the bytes; the receiver checks it only after reading them). Everything else —
 * size, JSON, the contract, `webhook-id` = `id`, dedup, the rules — still runs in the SDK,
 * unchanged. The id signed is the `webhook-id` header if sent, else the envelope's `id`.
 */
function resigning(receiver: Receiver, signer: WebhookSigner, foreignOnce: () => boolean): Receiver {
  return {
    receive(delivery) {
      if (delivery.method !== "POST") return receiver.receive(delivery);
      const headers = delivery.headers instanceof Headers ? new Headers(delivery.headers) : { ...delivery.headers };
      const body = tapBody(delivery.body, async (bytes) => {
        const id = headerOf(headers, "webhook-id") ?? idOf(bytes) ?? crypto.randomUUID();
        // "Signed with another secret" (a provider state) must still be refused as a verifying receiver would.
        const signed = await (foreignOnce() ? createSigner(generateSecret()) : signer).headers(id, bytes);
        for (const [name, value] of Object.entries(signed)) {
          if (headers instanceof Headers) headers.set(name, value);
          else headers[name] = value;
        }
      });
      return receiver.receive({ ...delivery, headers, body });
    },
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
