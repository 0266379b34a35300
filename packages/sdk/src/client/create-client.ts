import {
  endpoints,
  events,
  eventsTo,
  IsoDateTime,
  MAX_BODY_BYTES,
  MAX_CREATORS_PER_EVENT,
  parseEventData,
  Uuid,
  type EventDataInput,
  type EventName,
  type EventResult,
  type EventsTo,
  type Party,
  type PascalCase,
} from "@dttracker-dobbletap/contracts";
import { ContractViolationError } from "../errors/contract-violation-error.js";
import type { WebhookKitError } from "../errors/webhook-kit-error.js";
import { createSigner } from "../signing/index.js";
import { decodeSecretKey, decodeV1Secret } from "../signing/keys.js";
import { createTransportApi, deliver, notify, staticHeaders, type AttemptHooks, type Transport } from "./deliver.js";
import { judge, type OutcomeContext } from "./outcome.js";
import { resolveRetryPolicy, type RetryPolicy } from "./retry.js";
import type { QueuedDelivery, RetryQueue } from "./retry-queue.js";
import { createScrubber, showUrl } from "./redact.js";

/**
 * Logging hooks: one call per attempt, per answer and per send. They never receive a header, a
 * secret, a token or a signature, so their payloads can go to any log. A hook that throws is ignored.
 *
 * @example
 * ```ts
 * const dobbletap = createDobbletapClient({
 *   baseUrl, secret,
 *   hooks: {
 *     onAttempt: ({ event, id, attempt }) => console.info("sending", event, id, "attempt", attempt),
 *     onResponse: ({ status, ms }) => console.info("answered", status, "in", Math.round(ms), "ms"),
 *     onResult: (sent) => console.info(sent.eventId, sent.syncStatus),
 *   },
 * });
 * ```
 */
export interface DeliveryHooks extends AttemptHooks {
  /** Once per send, with what the send resolves to. */
  onResult?(result: SendResult): void;
}

/**
 * How to reach and authenticate to the receiving party.
 *
 * @example
 * ```ts
 * const options: ClientOptions = {
 *   baseUrl: process.env.DOBBLETAP_BASE_URL!, // https://<ref>.supabase.co/functions/v1/make-server-8061e72e
 *   secret: process.env.DOBBLETAP_WEBHOOK_SECRET!,
 *   bearerToken: process.env.DOBBLETAP_ANON_KEY,
 * };
 * ```
 */
export interface ClientOptions {
  /**
   * The receiving party's base URL; each event's path is appended to it. Dobbletap:
   * `https://<ref>.supabase.co/functions/v1/make-server-8061e72e`; DTTracker:
   * `https://<ref>.supabase.co/functions/v1`; locally `http://127.0.0.1:<port>`. Configuration, never a constant.
   */
  baseUrl: string;
  /**
   * This sender's `v1a` secret key (`whsk_…`, from `generateKeyPair()`): every request carries a
   * `v1a` Ed25519 signature the receiver checks with the matching `whpk_` public key. Recommended.
   */
  secretKey?: string | readonly string[];
  /**
   * The `v1` shared signing secret (`whsec_…`); several for a rotation. Given with `secretKey`
   * (a migration), every request carries both signatures. At least one of the two is required.
   */
  secret?: string | readonly string[];
  /** Sent as `Authorization: Bearer <token>` when the receiver's gateway demands it (Supabase's anon key). */
  bearerToken?: string;
  /** How long one attempt may wait for an answer. Default 10 000 ms. */
  timeoutMs?: number;
  /** The retry policy (partial: the rest from `defaultRetryPolicy`), or `false` for a single attempt. */
  retry?: Partial<RetryPolicy> | false;
  /** Where an event goes when every attempt failed in a way that may succeed later. */
  retryQueue?: RetryQueue;
  /** The fetch to use (a test double, an instrumented fetch). Default: the global fetch. */
  fetch?: typeof fetch;
  /** Logging hooks. */
  hooks?: DeliveryHooks;
  /** The clock used to timestamp signatures, in milliseconds (for tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * Per-send options.
 *
 * @example
 * ```ts
 * // An idempotent resend: the receiver answers the first result with duplicate: true.
 * await dobbletap.send("offer_sent", data, { id: previous.eventId, signal: AbortSignal.timeout(5_000) });
 * ```
 */
export interface SendOptions {
  /** The envelope id (a UUID, also `webhook-id`). Give the id of an earlier send to resend it idempotently. Default: a new UUID. */
  id?: string;
  /** When the event happened. Default: now. */
  occurredAt?: string | Date;
  /** Aborts the send (no more attempts; it resolves with a failure and is not queued). */
  signal?: AbortSignal;
}

/**
 * Whether the other side has the event, as the integration's callers record it.
 *
 * @example
 * ```ts
 * const { syncStatus } = await dobbletap.offerSent(data);
 * await db.offers.update(offer.id, { sync_status: syncStatus });
 * ```
 */
export interface SyncStatus {
  /** True only when the receiver answered with the contract's success naming its record. */
  synced: boolean;
  /**
   * Why not, when not synced. With `synced: true` it is `PARTIAL_FAILURE` when a creator batch was
   * delivered but some creators failed (each in `result.failed`); otherwise `null`.
   */
  error: { code: string; message: string } | null;
  /** True only when the event was handed to the retry queue and the queue accepted it. */
  retryQueued: boolean;
}

/**
 * What every send resolves to; a delivery failure is reported here, never thrown.
 *
 * @example
 * ```ts
 * const sent = await dobbletap.offerSent(data);
 * if (sent.success) console.log(sent.result.id, sent.result.status); // the offer Dobbletap created
 * else console.warn(sent.syncStatus.error?.code, sent.syncStatus.retryQueued);
 * ```
 */
export interface SendResult<E extends EventName = EventName> {
  /** Same as `syncStatus.synced`. */
  success: boolean;
  /** The envelope id (`webhook-id`): keep it to resend idempotently. */
  eventId: string;
  syncStatus: SyncStatus;
  /** What the receiver did (the record it created or found), when synced. */
  result?: EventResult<E>;
  /** True when the receiver had already processed this event (or the same record): nothing new was created. */
  duplicate?: boolean;
  /** The HTTP status of the last answer, when there was one. */
  status?: number;
  /** How many requests were made. */
  attempts: number;
  /** Why it did not sync: a ContractError (the receiver's error answer), ContractViolationError (an invalid answer), TransportError or UnexpectedResponseError. */
  failure?: WebhookKitError;
  /**
   * `creatorsSynced` with more than `MAX_CREATORS_PER_EVENT` creators: each batch's own result, in
   * order (each its own event id). The fields above aggregate them; `eventId` is the first batch's.
   */
  batches?: SendResult<E>[];
}

/** `offer_sent` → `offerSent`: the method name of an event. */
export type CamelCase<S extends string> = Uncapitalize<PascalCase<S>>;

/**
 * A sender to one party: one method per event that party receives, derived from the contract's
 * event map, plus `send(event, data, options)`.
 *
 * @example
 * ```ts
 * const client: PartyClient<"dobbletap"> = createClient("dobbletap", { baseUrl, secret });
 * await client.offerSent({ offer });
 * ```
 */
export type PartyClient<P extends Party> = {
  readonly [E in EventsTo<P> as CamelCase<E>]: (data: EventDataInput<E>, options?: SendOptions) => Promise<SendResult<E>>;
} & {
  /**
   * Sends any event this party receives. Rejects (before any request) with a
   * ContractViolationError when `data`, `id` or `occurredAt` break the contract; otherwise resolves.
   */
  send<E extends EventsTo<P>>(event: E, data: EventDataInput<E>, options?: SendOptions): Promise<SendResult<E>>;
};

/**
 * What DTTracker uses to send to Dobbletap: `campaignCreated`, `activationUpdated`,
 * `activationCancelled`, `offerSent`, `send`.
 *
 * @example
 * ```ts
 * const dobbletap: DobbletapClient = createDobbletapClient({ baseUrl, secret, bearerToken });
 * ```
 */
export type DobbletapClient = PartyClient<"dobbletap">;

/**
 * What Dobbletap uses to send to DTTracker: `creatorsSynced`, `offerAccepted`, `offerDeclined`, `send`.
 *
 * @example
 * ```ts
 * const dttracker: DttrackerClient = createDttrackerClient({ baseUrl, secret });
 * ```
 */
export type DttrackerClient = PartyClient<"dttracker">;

const partyNames: Record<Party, string> = { dobbletap: "Dobbletap", dttracker: "DTTracker" };
const encoder = new TextEncoder();

function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function requestViolation(message: string, path: string, issue: string): ContractViolationError {
  return new ContractViolationError(message, [{ path, message: issue }], "request");
}

function checkOptions(options: ClientOptions): { base: URL; timeoutMs: number } {
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    // The value is not repeated: a base URL may carry a key in its query string.
    throw new TypeError("baseUrl must be an absolute http(s) URL, e.g. https://<project-ref>.supabase.co/functions/v1.");
  }
  if (base.protocol !== "https:" && base.protocol !== "http:") {
    throw new TypeError(`baseUrl must use http: or https:, not ${base.protocol}`);
  }
  if (base.username || base.password) {
    // fetch refuses such URLs, and credentials in a URL end up in logs.
    throw new TypeError("baseUrl must not include credentials (user:password@); use bearerToken for the gateway's key.");
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (typeof timeoutMs !== "number" || !(timeoutMs > 0) || timeoutMs > 2_147_483_647) {
    throw new RangeError(`timeoutMs must be a number of milliseconds > 0; got ${String(timeoutMs)}.`);
  }
  const token = options.bearerToken;
  if (token !== undefined && (typeof token !== "string" || !/^[\x21-\x7e]+$/.test(token))) {
    throw new TypeError("bearerToken must be a non-empty token of printable ASCII without spaces (e.g. the Supabase anon key).");
  }
  return { base, timeoutMs };
}

/** The keys to sign with: the v1a secret key(s) first, then the v1 secret(s). */
function signingKeysOf(options: ClientOptions): string[] {
  const list = (value: string | readonly string[] | undefined) => (value === undefined ? [] : typeof value === "string" ? [value] : [...value]);
  const secretKeys = list(options.secretKey);
  const secrets = list(options.secret);
  // Each option names the kind it holds; a key of the other kind is refused naming both.
  for (const key of secretKeys) if (typeof key !== "string" || !key.startsWith("whsk_")) decodeSecretKey(key, "secretKey");
  for (const key of secrets) if (typeof key === "string" && (key.startsWith("whsk_") || key.startsWith("whpk_"))) decodeV1Secret(key, "secret");
  if (secretKeys.length + secrets.length === 0) {
    throw new TypeError("Give the client secretKey (whsk_…, v1a, recommended) or secret (whsec_…, v1), or both during a migration.");
  }
  return [...secretKeys, ...secrets];
}

function occurredAtOf(value: string | Date | undefined): string {
  if (value === undefined) return new Date().toISOString();
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) {
      throw requestViolation("occurredAt is an invalid Date. Pass a valid Date or an ISO-8601 UTC string.", "occurredAt", "must be a valid date");
    }
    return value.toISOString();
  }
  const checked = IsoDateTime.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0]?.message ?? "must be an ISO-8601 UTC timestamp";
    throw requestViolation(`occurredAt ${issue}. Pass a Date or an ISO-8601 UTC string.`, "occurredAt", issue);
  }
  return checked.data;
}

/**
 * Makes a sender to one party. Its methods are derived from the contract's event map: one per event
 * that `party` receives, posting to that event's endpoint under `baseUrl`. Throws at once when the
 * secret, the base URL, the timeout, the bearer token or the retry policy is unusable.
 *
 * @example
 * ```ts
 * const dobbletap = createClient("dobbletap", { baseUrl, secret });
 * const sent = await dobbletap.send("campaign_created", { campaign });
 * ```
 */
export function createClient<P extends Party>(party: P, options: ClientOptions): PartyClient<P> {
  const { base, timeoutMs } = checkOptions(options);
  const signer = createSigner(signingKeysOf(options));
  const policy = resolveRetryPolicy(options.retry);
  const hooks = options.hooks ?? {};
  const queue = options.retryQueue;
  const scrub = createScrubber([options.secretKey, options.secret, options.bearerToken]);
  const transport: Transport = {
    api: createTransportApi({ timeoutMs, policy }),
    headers: staticHeaders(options.bearerToken),
    signer,
    policy,
    // Looked up per call, so that a fetch replaced after the client was made (a test, an APM agent) is used.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now: options.now ?? Date.now,
    hooks,
  };
  const receiver = partyNames[party];

  // Each event's URL is computed once: the endpoint's path appended to the base's path (keeping
  // any query string the gateway may need), not resolved against it, which would drop its last segment.
  const basePath = base.pathname.replace(/\/+$/, "");
  const routes = new Map<EventName, { url: string; shownUrl: string }>();
  for (const name of eventsTo(party)) {
    const target = new URL(base.href);
    target.pathname = basePath + endpoints[events[name].endpoint].path;
    routes.set(name, { url: target.href, shownUrl: showUrl(target.href) });
  }

  async function send<E extends EventsTo<P>>(event: E, data: EventDataInput<E>, sendOptions: SendOptions = {}): Promise<SendResult<E>> {
    const route = routes.get(event);
    if (!route) {
      const accepted = [...routes.keys()].join(", ");
      throw requestViolation(
        `${receiver} does not receive "${String(event).slice(0, 64)}"; this client sends: ${accepted}.`,
        "event",
        `must be one of: ${accepted}`,
      );
    }
    const id = sendOptions.id ?? crypto.randomUUID();
    if (sendOptions.id !== undefined && !Uuid.safeParse(id).success) {
      throw requestViolation(
        "The id option must be a UUID (the envelope id and webhook-id); pass the eventId of an earlier send to resend it, or omit it.",
        "id",
        "must be a UUID",
      );
    }
    const occurredAt = occurredAtOf(sendOptions.occurredAt);
    // Validated once; the parsed data (trimmed, unknown fields stripped) is what is signed and sent.
    const checked = parseEventData(event, data);
    if (!checked.success) {
      throw new ContractViolationError(checked.error.message, checked.error.issues ?? [], "request");
    }
    const envelope = { id, event, occurredAt, data: checked.data };
    // Stringified and encoded once: every attempt signs and sends these exact bytes.
    const body = encoder.encode(JSON.stringify(envelope));
    if (body.byteLength > MAX_BODY_BYTES) {
      throw requestViolation(
        `The ${event} body is ${body.byteLength} bytes; receivers refuse more than ${MAX_BODY_BYTES} (413). Send it in smaller batches.`,
        "",
        `must be at most ${MAX_BODY_BYTES} bytes`,
      );
    }

    const outcome = await deliver(transport, { event, id, url: route.url, shownUrl: route.shownUrl, body, signal: sendOptions.signal });
    const context: OutcomeContext = { event, id, data: checked.data, receiver, shownUrl: route.shownUrl, policy, timeoutMs, scrub };
    const verdict = judge<E>(outcome, context);

    let result: SendResult<E>;
    if (verdict.synced) {
      result = {
        success: true,
        eventId: id,
        syncStatus: { synced: true, error: partialFailure(event, verdict.answer.result), retryQueued: false },
        result: verdict.answer.result as EventResult<E>,
        duplicate: verdict.answer.duplicate === true,
        status: verdict.status,
        attempts: outcome.attempts,
      };
    } else {
      let retryQueued = false;
      let advice: string;
      if (!verdict.retryable) {
        advice = "";
      } else if (!queue) {
        advice = ` Not queued (no retryQueue configured): resend it later with the same id (${id}); the receiver deduplicates.`;
      } else {
        const delivery: QueuedDelivery = {
          event,
          id,
          url: route.shownUrl,
          envelope: envelope as QueuedDelivery["envelope"],
          attempts: outcome.attempts,
          lastError: { code: verdict.code, message: verdict.message },
          queuedAt: new Date().toISOString(),
        };
        try {
          await queue.enqueue(delivery);
          retryQueued = true;
          advice = " Handed to the retry queue: it will be resent with the same id.";
        } catch (error) {
          // Only the error's name: a queue's message may quote its own connection string.
          const name = error instanceof Error ? error.name : typeof error;
          advice = ` The hand-off to the retry queue failed (${name}), so it is NOT queued: resend it later with the same id (${id}).`;
        }
      }
      const failure = verdict.fail(verdict.message + advice);
      result = {
        success: false,
        eventId: id,
        syncStatus: { synced: false, error: { code: failure.code, message: failure.message }, retryQueued },
        ...(verdict.status !== undefined && { status: verdict.status }),
        attempts: outcome.attempts,
        failure,
      };
    }
    notify(hooks, "onResult", result as SendResult);
    return result;
  }

  const client: Record<string, unknown> = { send };
  for (const name of routes.keys()) {
    client[camelCase(name)] = (data: EventDataInput<EventsTo<P>>, sendOptions?: SendOptions) =>
      send(name as EventsTo<P>, data, sendOptions);
  }
  if (routes.has("creators_synced")) {
    client.creatorsSynced = (data: EventDataInput<"creators_synced">, sendOptions?: SendOptions) =>
      syncCreators(send as unknown as SendCreators, data, sendOptions);
  }
  return Object.freeze(client) as PartyClient<P>;
}

/** A delivered creator batch in which some creators failed: `PARTIAL_FAILURE`, still `synced: true`. */
function partialFailure(event: EventName, result: unknown): SyncStatus["error"] {
  if (event !== "creators_synced") return null;
  const { synced, failed } = result as EventResult<"creators_synced">;
  if (failed.length === 0) return null;
  const codes = [...new Set(failed.map((entry) => entry.error.code))].join(", ");
  return {
    code: "PARTIAL_FAILURE",
    message: `${failed.length} of ${synced.length + failed.length} creators were not synced (${codes}); see result.failed for each one. The batch itself was delivered: fix those creators and sync them again.`,
  };
}

type SendCreators = (
  event: "creators_synced",
  data: EventDataInput<"creators_synced">,
  options?: SendOptions,
) => Promise<SendResult<"creators_synced">>;

/**
 * `creatorsSynced`: any number of creators, sent in batches of at most `MAX_CREATORS_PER_EVENT`
 * (each its own event id, one after another), reported as one result: every batch's mapping
 * together, `synced` only when every batch was delivered, the first delivery failure otherwise, and
 * `PARTIAL_FAILURE` when all were delivered but some creators failed. `batches` holds each batch's
 * own result (its `eventId` is what to resend with).
 */
async function syncCreators(
  send: SendCreators,
  data: EventDataInput<"creators_synced">,
  options: SendOptions = {},
): Promise<SendResult<"creators_synced">> {
  const creators = (data as { creators?: unknown }).creators;
  // Not a list, or one batch: the contract's own checks and answer, unchanged.
  if (!Array.isArray(creators) || creators.length <= MAX_CREATORS_PER_EVENT) return send("creators_synced", data, options);
  if (options.id !== undefined) {
    throw requestViolation(
      `The id option names one event, but ${creators.length} creators go in ${Math.ceil(creators.length / MAX_CREATORS_PER_EVENT)} events of at most ${MAX_CREATORS_PER_EVENT}. Resend a batch with send("creators_synced", batch, { id: batches[i].eventId }).`,
      "id",
      "must not be given for more than one batch",
    );
  }
  const batches: SendResult<"creators_synced">[] = [];
  for (let start = 0; start < creators.length; start += MAX_CREATORS_PER_EVENT) {
    const batch = { ...data, creators: creators.slice(start, start + MAX_CREATORS_PER_EVENT) };
    batches.push(await send("creators_synced", batch, { ...options, id: undefined }));
  }
  const delivered = batches.filter((batch) => batch.syncStatus.synced);
  const undelivered = batches.filter((batch) => !batch.syncStatus.synced);
  const result = {
    synced: delivered.flatMap((batch) => batch.result?.synced ?? []),
    failed: delivered.flatMap((batch) => batch.result?.failed ?? []),
  };
  const first = undelivered[0];
  const error = first
    ? {
        code: first.syncStatus.error!.code,
        message: `${undelivered.length} of ${batches.length} batches were not delivered; the first (event ${first.eventId}): ${first.syncStatus.error!.message}`,
      }
    : partialFailure("creators_synced", result);
  return {
    success: first === undefined,
    eventId: batches[0]!.eventId,
    syncStatus: {
      synced: first === undefined,
      error,
      retryQueued: first !== undefined && undelivered.every((batch) => batch.syncStatus.retryQueued),
    },
    ...(delivered.length > 0 && { result }),
    attempts: batches.reduce((sum, batch) => sum + batch.attempts, 0),
    ...(first?.failure !== undefined && { failure: first.failure }),
    batches,
  };
}

/**
 * The sender DTTracker uses to call Dobbletap (`POST {baseUrl}/webhooks/dttracker`).
 *
 * @example
 * ```ts
 * const dobbletap = createDobbletapClient({
 *   baseUrl: process.env.DOBBLETAP_BASE_URL!, // …/functions/v1/make-server-8061e72e
 *   secret: process.env.DOBBLETAP_WEBHOOK_SECRET!,
 *   bearerToken: process.env.DOBBLETAP_ANON_KEY,
 * });
 * const sent = await dobbletap.offerSent({ offer });
 * if (!sent.success) console.warn(sent.syncStatus.error);
 * ```
 */
export function createDobbletapClient(options: ClientOptions): DobbletapClient {
  return createClient("dobbletap", options);
}

/**
 * The sender Dobbletap uses to call DTTracker (`{baseUrl}/creator-sync-from-dobbletap` and
 * `{baseUrl}/dobbletap-webhooks`).
 *
 * @example
 * ```ts
 * const dttracker = createDttrackerClient({ baseUrl: process.env.DTTRACKER_BASE_URL!, secret: process.env.DTTRACKER_WEBHOOK_SECRET! });
 * await dttracker.creatorsSynced({ creators });
 * await dttracker.offerAccepted({ offerId, campaignId, creatorId });
 * ```
 */
export function createDttrackerClient(options: ClientOptions): DttrackerClient {
  return createClient("dttracker", options);
}
