import {
  endpoints,
  eventsAt,
  isEventName,
  MAX_BODY_BYTES,
  MAX_CREATORS_PER_EVENT,
  type EndpointId,
  type EventEnvelope,
  type EventName,
} from "@dttracker-dobbletap/contracts";
import { createScrubber } from "../client/redact.js";
import { createVerifier, type WebhookVerifier } from "../signing/index.js";
import { decodePublicKey, decodeV1Secret } from "../signing/keys.js";
import type { Answer } from "./answers.js";
import { tooLargeAnswer } from "./answers.js";
import { expectedBearer } from "./bearer.js";
import type { DedupStore } from "./dedup-store.js";
import { onceOptions, type OnceOptions } from "./exactly-once.js";
import { logError, type ErrorReporter } from "./report.js";
import type { TransactionalWebhookHandlerOptions } from "./transactional.js";
import type { HandlerContext, RequestOutcome, WebhookHandlerOptions } from "./types.js";

/** Either kind of receiver options; the core treats them alike (the types differ for handlers). */
export type AnyOptions = WebhookHandlerOptions<EndpointId> | TransactionalWebhookHandlerOptions<EndpointId, unknown>;

export type AnyHandler = (event: EventEnvelope, context: HandlerContext) => unknown;

/** Everything decided once, when the receiver is created; the per-request path only reads it. */
export interface ReceiverState {
  handlers: Record<string, AnyHandler>;
  accept: { accept: readonly EventName[] };
  verifier: WebhookVerifier;
  bearer: Uint8Array | undefined;
  bearerOnly: boolean;
  store: DedupStore<unknown>;
  /** The claim/lease/time bounds and whether handlers get the lease's transaction. */
  once: OnceOptions;
  maxBodyBytes: number;
  tooLarge: Answer;
  onError: ErrorReporter;
  onOutcome: ((outcome: RequestOutcome) => void) | undefined;
  /** Removes this receiver's secrets and bearer token (and key-shaped text) from a handler's message. */
  scrub: (text: string) => string;
}

/** Checks the options once and decides everything the per-request path reads; throws at creation. */
export function createReceiverState(options: AnyOptions): ReceiverState {
  const handlers = options.handlers as unknown as Record<string, AnyHandler>;
  if (typeof handlers !== "object" || handlers === null) throw new TypeError("createWebhookHandler needs a handlers object.");
  const accept = Object.keys(handlers);
  for (const name of accept) {
    if (!isEventName(name)) throw new TypeError(`handlers.${name} is not an event of the contract.`);
    if (typeof handlers[name] !== "function") throw new TypeError(`handlers.${name} must be a function.`);
  }
  checkEndpoint(options.endpoint, accept);
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  if (!Number.isInteger(maxBodyBytes) || maxBodyBytes < 1) throw new RangeError("maxBodyBytes must be a positive integer.");
  const bearerOnly = options.bearer?.mode === "bearer-only";
  if (options.bearer && options.bearer.mode !== undefined && options.bearer.mode !== "with-signature" && !bearerOnly) {
    throw new TypeError('bearer.mode must be "with-signature" or "bearer-only".');
  }
  if (bearerOnly) {
    console.warn(
      "[@dttracker-dobbletap/sdk] bearer-only mode: requests with the right bearer token and no signature are accepted. " +
        "A bearer token is not proof of authenticity; sign requests and switch to the default mode.",
    );
  }
  return {
    handlers,
    accept: { accept: accept as EventName[] },
    verifier: createVerifier(verificationKeysOf(options), {
      toleranceSeconds: options.toleranceSeconds,
      now: options.now,
      backend: options.backend,
    }),
    bearer: options.bearer ? expectedBearer(options.bearer.token) : undefined,
    bearerOnly,
    ...onceOptions(options),
    maxBodyBytes,
    tooLarge: tooLargeAnswer(maxBodyBytes, MAX_CREATORS_PER_EVENT),
    onError: options.onError ?? logError,
    onOutcome: options.onOutcome,
    scrub: createScrubber([options.secrets, options.bearer?.token]),
  };
}

/** The endpoint decides the exact handler keys: a forgotten one would answer its event 422 for ever. */
function checkEndpoint(endpoint: unknown, accept: readonly string[]): void {
  const known = Object.keys(endpoints).join(", ");
  if (endpoint === undefined) {
    throw new TypeError(`createWebhookHandler needs endpoint, the contract endpoint it serves (one of ${known}): it decides which handlers are required.`);
  }
  if (typeof endpoint !== "string" || !Object.hasOwn(endpoints, endpoint)) {
    throw new TypeError(`endpoint ${String(endpoint)} is not one of the contract's endpoints (${known}).`);
  }
  const expected: readonly string[] = eventsAt(endpoint as EndpointId);
  const missing = expected.filter((name) => !accept.includes(name));
  const foreign = accept.filter((name) => !expected.includes(name));
  if (missing.length > 0 || foreign.length > 0) {
    throw new TypeError(
      `The ${endpoint} endpoint takes exactly ${expected.join(", ")}.` +
        (missing.length > 0 ? ` Missing handlers: ${missing.join(", ")}.` : "") +
        (foreign.length > 0 ? ` Not events of this endpoint: ${foreign.join(", ")}.` : ""),
    );
  }
}

/** The keys to verify with; each option holds only its own kind, and a key of the other is named. */
function verificationKeysOf(options: { publicKeys?: readonly string[]; secrets?: string | readonly string[] }): string[] {
  const publicKeys = options.publicKeys === undefined ? [] : [...options.publicKeys];
  const secrets = options.secrets === undefined ? [] : typeof options.secrets === "string" ? [options.secrets] : [...options.secrets];
  if (typeof options.publicKeys === "string") throw new TypeError('publicKeys must be a list: publicKeys: ["whpk_…"].');
  for (const key of publicKeys) if (typeof key !== "string" || !key.startsWith("whpk_")) decodePublicKey(key, "publicKeys");
  for (const key of secrets) if (typeof key === "string" && (key.startsWith("whsk_") || key.startsWith("whpk_"))) decodeV1Secret(key, "secrets");
  if (publicKeys.length + secrets.length === 0) {
    throw new TypeError("Give createWebhookHandler publicKeys (whpk_…, v1a, recommended) or secrets (whsec_…, v1), or both during a migration.");
  }
  return [...publicKeys, ...secrets];
}
