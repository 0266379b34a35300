/**
 * The client factory: everything a send can work out once (the routes, the headers, the signer,
 * the policy, the ky instance) is worked out here, at creation; a send only validates, signs,
 * sends and judges.
 */
import { endpoints, events, eventsTo, type EventDataInput, type EventName, type EventResult, type EventsTo, type Party } from "@dttracker-dobbletap/contracts";
import { createSigner } from "../signing/index.js";
import { checkOptions, partyNames, signingKeysOf } from "./client-options.js";
import { attempt, createTransportApi, staticHeaders, type Transport } from "./deliver.js";
import { prepareEnvelope, requestViolation } from "./envelope.js";
import { notify } from "./notify.js";
import { judge, type OutcomeContext } from "./outcome.js";
import { createScrubber, showUrl } from "./redact.js";
import { resolveRetryPolicy, withRetries } from "./retry.js";
import type { QueuedDelivery } from "./retry-queue.js";
import { syncCreators, partialFailure, type SendCreators } from "./sync-creators.js";
import type { ClientOptions, DobbletapClient, DttrackerClient, PartyClient, SendOptions, SendResult } from "./types.js";

function camelCase(name: string): string {
  return name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Makes a sender to one party. Its methods are derived from the contract's event map: one per event
 * that `party` receives, posting to that event's endpoint under `baseUrl`. Throws at once when the
 * secret, the base URL, the timeout, the bearer token or the retry policy is unusable, saying what
 * was expected (an unset `secret: process.env.…` included).
 *
 * @example
 * ```ts
 * const dobbletap = createClient("dobbletap", { baseUrl, secret });
 * const sent = await dobbletap.send("campaign_created", { campaign });
 * ```
 */
export function createClient<P extends Party>(party: P, options: ClientOptions): PartyClient<P> {
  const { base, timeoutMs } = checkOptions(options);
  const signer = createSigner(signingKeysOf(party, options));
  const policy = resolveRetryPolicy(options.retry);
  const hooks = options.hooks ?? {};
  const queue = options.retryQueue;
  const scrub = createScrubber([options.secretKey, options.secret, options.bearerToken]);
  const transport: Transport = {
    api: createTransportApi(),
    headers: staticHeaders(options.bearerToken),
    signer,
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
    const prepared = prepareEnvelope(event, data, sendOptions);
    const { id } = prepared.envelope;
    const target = { event, id, url: route.url, shownUrl: route.shownUrl, body: prepared.body };
    const outcome = await withRetries(policy, timeoutMs, sendOptions.signal, (number, signal) => attempt(transport, target, number, signal));
    const context: OutcomeContext = { event, id, data: prepared.data, receiver, shownUrl: route.shownUrl, policy, timeoutMs, scrub };
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
          envelope: prepared.envelope as QueuedDelivery["envelope"],
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
        ...(verdict.retryAfterMs !== undefined && { retryAfterMs: verdict.retryAfterMs }),
        attempts: outcome.attempts,
        failure,
      };
    }
    notify(hooks, "onResult", result as SendResult);
    return result;
  }

  const client: Record<string, unknown> = { send };
  for (const name of routes.keys()) {
    client[camelCase(name)] = (data: EventDataInput<EventsTo<P>>, sendOptions?: SendOptions) => send(name as EventsTo<P>, data, sendOptions);
  }
  if (routes.has("creators_synced")) {
    client.creatorsSynced = (data: EventDataInput<"creators_synced">, sendOptions?: SendOptions) =>
      syncCreators(send as unknown as SendCreators, data, sendOptions);
  }
  return Object.freeze(client) as PartyClient<P>;
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
