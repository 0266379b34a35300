import type { EventEnvelope, EventName } from "@dttracker-dobbletap/contracts";
import type { SendOptions, SendResult } from "./types.js";
import { isRetryableFailure } from "./retry.js";

/**
 * One event a sender could not deliver after all its attempts, for a later resend. It holds what
 * is needed to send it again with the same `id` (so the receiver can deduplicate) and never a
 * secret, a token or a signature: each resend is signed afresh.
 *
 * @example
 * ```ts
 * const queue: RetryQueue = { enqueue: (delivery: QueuedDelivery) => db.insert("outbox", delivery) };
 * ```
 */
export interface QueuedDelivery<E extends EventName = EventName> {
  event: E;
  /** The envelope id, equal to `webhook-id`: resend with it. */
  id: string;
  /** Where it was sent, without credentials or query string (for operators; resends use the client's URL). */
  url: string;
  /** The validated envelope that was sent. */
  envelope: EventEnvelope<E>;
  /** Attempts made so far. */
  attempts: number;
  /** Why the last attempt failed. */
  lastError: { code: string; message: string };
  /** When it was queued (ISO-8601 UTC). */
  queuedAt: string;
}

/**
 * Where a sender hands an event it could not deliver. A send reports `retryQueued: true` only once
 * `enqueue` has resolved, so make it resolve only when the delivery is stored durably (a table, a
 * job queue); a throw or rejection reports `retryQueued: false`.
 *
 * @example
 * ```ts
 * const outbox: RetryQueue = {
 *   async enqueue(delivery) { await supabase.from("webhook_outbox").insert(delivery).throwOnError(); },
 * };
 * const dobbletap = createDobbletapClient({ baseUrl, secret, retryQueue: outbox });
 * ```
 */
export interface RetryQueue {
  enqueue(delivery: QueuedDelivery): void | Promise<void>;
}

/** A client that can resend queued deliveries: what {@link MemoryRetryQueue.drain} needs. */
export interface ResendingClient {
  send(event: EventName, data: unknown, options?: SendOptions): Promise<SendResult<EventName>>;
}

/** What {@link MemoryRetryQueue.drain} did. */
export interface DrainReport {
  /** Deliveries that synced on resend and left the queue. */
  synced: QueuedDelivery[];
  /** Deliveries refused for good on resend (a contract error): they left the queue, with the result that says why. */
  dropped: Array<{ delivery: QueuedDelivery; result: SendResult<EventName> }>;
  /** Deliveries still queued (the drain stops at the first one that still cannot be delivered). */
  remaining: number;
}

/**
 * An in-memory {@link RetryQueue}: for tests, scripts and a single long-lived process. It is NOT
 * durable: a restart loses it, so with it `retryQueued: true` means "held in this process", not the
 * contract's "durably handed to a retry mechanism". Production senders (e.g. an Edge Function that
 * has already charged a brand) implement {@link RetryQueue} over a database table or a queue service.
 *
 * @example
 * ```ts
 * const queue = createMemoryRetryQueue();
 * const dobbletap = createDobbletapClient({ baseUrl, secret, retryQueue: queue });
 * await dobbletap.offerSent(data);                   // Dobbletap down: retryQueued: true (in this process only)
 * setInterval(() => void queue.drain(dobbletap), 60_000);
 * ```
 */
export interface MemoryRetryQueue extends RetryQueue {
  /** How many deliveries are queued. */
  readonly size: number;
  /** A snapshot of the queued deliveries, oldest first. */
  list(): QueuedDelivery[];
  /** Removes and returns the oldest delivery. */
  take(): QueuedDelivery | undefined;
  /**
   * Resends each queued delivery, oldest first, with its original `id` and `occurredAt`, through
   * `client.send`. Synced ones leave the queue; ones refused with a contract error leave it and are
   * reported in `dropped`. It stops at the first delivery that fails in a retryable way (the
   * receiver is still unavailable), so later events never overtake earlier ones (an `offer_sent`
   * must not arrive before its `campaign_created`). A queue holds one party's deliveries: it rejects
   * if `client` does not send a queued event (a client for the other party).
   */
  drain(client: ResendingClient): Promise<DrainReport>;
}

/**
 * Makes an in-memory retry queue. Deliveries are keyed by `id`: enqueuing an id that is already
 * queued updates it in place (keeping its place in line), so a client that re-queues during a
 * drain does not duplicate it.
 *
 * @example
 * ```ts
 * const queue = createMemoryRetryQueue();
 * const dttracker = createDttrackerClient({ baseUrl, secret, retryQueue: queue });
 * const report = await queue.drain(dttracker);
 * console.log(report.synced.length, "resent,", report.remaining, "still queued");
 * ```
 */
export function createMemoryRetryQueue(): MemoryRetryQueue {
  const queued = new Map<string, QueuedDelivery>();

  return {
    get size() {
      return queued.size;
    },
    enqueue(delivery) {
      // A copy: the caller's object must not change what is queued.
      queued.set(delivery.id, structuredClone(delivery));
    },
    list() {
      return [...queued.values()].map((delivery) => structuredClone(delivery));
    },
    take() {
      const first = queued.values().next();
      if (first.done) return undefined;
      queued.delete(first.value.id);
      return first.value;
    },
    async drain(client) {
      const report: DrainReport = { synced: [], dropped: [], remaining: 0 };
      for (const delivery of [...queued.values()]) {
        const result = await client.send(delivery.event, delivery.envelope.data, {
          id: delivery.id,
          occurredAt: delivery.envelope.occurredAt,
        });
        if (result.success) {
          queued.delete(delivery.id);
          report.synced.push(delivery);
          continue;
        }
        if (!isRetryableFailure(result.failure)) {
          queued.delete(delivery.id);
          report.dropped.push({ delivery, result });
          continue;
        }
        // Still undeliverable: keep it (merging what the client may have re-queued) and stop here.
        queued.set(delivery.id, {
          ...(queued.get(delivery.id) ?? delivery),
          attempts: delivery.attempts + result.attempts,
          lastError: result.syncStatus.error ?? delivery.lastError,
        });
        break;
      }
      report.remaining = queued.size;
      return report;
    },
  };
}
