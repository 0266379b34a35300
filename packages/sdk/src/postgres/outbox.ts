import {
  endpoints,
  events,
  IsoDateTime,
  isEventName,
  parseEventData,
  Uuid,
  type EventData,
  type EventDataInput,
  type EventName,
  type Party,
} from "@dttracker-dobbletap/contracts";
import { RequestValidationError } from "../errors/request-validation-error.js";
import { asDatabase } from "./adapters.js";
import { DatabaseError } from "./database-error.js";
import type { Database, Queryable } from "./database.js";
import { campaignIdOf } from "./ordering.js";
import { DEFAULT_SCHEMA, quoteSchema } from "./schema.js";
import { at, isoOf } from "./sql-time.js";

/** Where an outbox event stands: waiting, being sent (leased by a dispatcher), done, or given up (replayable). */
export type OutboxState = "pending" | "delivering" | "delivered" | "dead";

/**
 * Options of {@link createOutbox}.
 *
 * @example
 * ```ts
 * const outbox = createOutbox({ db: fromPg(pool) });
 * ```
 */
export interface OutboxOptions {
  /** The database (an adapter's `Database`) that holds the outbox: the same one as your own tables. */
  db: Database;
  /** The schema `migrate` created the tables in. Default `webhook_kit`. */
  schema?: string;
  /** The clock, in ms (tests). Default `Date.now`. */
  now?: () => number;
}

/**
 * Per-event options of `outbox.enqueue`.
 *
 * @example
 * ```ts
 * await outbox.enqueue(tx, "offer_sent", { offer }, { id: offerEventId, orderingKey: offer.campaignId });
 * ```
 */
export interface EnqueueOptions {
  /**
   * Events with the same key are delivered in enqueue order, one at a time. Default: the campaign
   * the event is about (every event but `creators_synced`); `null` for no ordering.
   */
  orderingKey?: string | null;
  /** The envelope id (a UUID; also `webhook-id` on every attempt). Default: a new UUID. Enqueuing the same id with the same event and data again is a no-op. */
  id?: string;
  /** When the event happened. Default: now. */
  occurredAt?: string | Date;
}

/**
 * What `outbox.enqueue` resolves to, shaped like the client's `SendResult` so that callers store
 * `syncStatus` the same way. `retryQueued` is true because the event commits with the caller's own
 * transaction, or not at all (contract v1.1, "Durable delivery").
 *
 * @example
 * ```ts
 * const { eventId, syncStatus } = await outbox.enqueue(tx, "offer_sent", { offer });
 * await tx.query("update offers set sync_status = $1, event_id = $2 where id = $3", [syncStatus, eventId, offer.id]);
 * ```
 */
export interface EnqueueResult {
  eventId: string;
  syncStatus: { synced: false; error: null; retryQueued: true };
}

/**
 * One delivery attempt, as the dispatcher recorded it.
 *
 * @example
 * ```ts
 * for (const a of (await outbox.status(id))!.attempts) console.log(a.attempt, a.status ?? a.code, a.durationMs);
 * ```
 */
export interface OutboxAttempt {
  attempt: number;
  /** The dispatcher's name. */
  dispatcher: string;
  startedAt: string;
  /** `null` when the dispatcher died during the attempt (its lease expired and the event was reclaimed). */
  finishedAt: string | null;
  durationMs: number | null;
  /** The HTTP status, when there was an answer. */
  status: number | null;
  /** The contract code of a refusal, or `NETWORK_ERROR`, `TIMEOUT`, `UNEXPECTED_RESPONSE`, `INVALID_ANSWER`; `null` on success. */
  code: string | null;
  message: string | null;
}

/**
 * An outbox event without its attempts (what `outbox.list` returns).
 *
 * @example
 * ```ts
 * const [oldest] = await outbox.list({ state: "dead", limit: 1 });
 * console.log(oldest?.eventId, oldest?.lastError?.code);
 * ```
 */
export interface OutboxEventSummary {
  eventId: string;
  event: EventName;
  /** Who receives it. */
  party: Party;
  state: OutboxState;
  orderingKey: string | null;
  occurredAt: string;
  enqueuedAt: string;
  /** Pending: when the next attempt is due; delivering: when its lease expires; otherwise `null`. */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  /** Attempts since it was enqueued or last replayed (the schedule's position). */
  tries: number;
  /** An `offer_sent` answered 404 `CAMPAIGN_NOT_FOUND`: it is resent once its campaign is delivered. */
  awaitingCampaign: boolean;
  /** The last failed attempt's answer, while not delivered. */
  lastError: { status: number | null; code: string | null; message: string | null } | null;
}

/**
 * An outbox event with every attempt and, once delivered, the receiver's `result`.
 *
 * @example
 * ```ts
 * const status = await outbox.status(eventId);
 * if (status?.state === "delivered") console.log(status.result); // { type: "offer", id, status: "offered" }
 * ```
 */
export interface OutboxEventStatus extends OutboxEventSummary {
  attempts: OutboxAttempt[];
  /** What the receiver answered in `result` (the record it created), once delivered. */
  result: unknown;
  /** True when the receiver answered the delivery as a duplicate. */
  duplicate: boolean | null;
}

/**
 * The transactional outbox: `enqueue` inside your own transaction, then a dispatcher delivers.
 *
 * @example
 * ```ts
 * const db = fromPg(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await db.transaction(async (tx) => {
 *   await tx.query("update brands set balance_minor = balance_minor - $1 where id = $2", [offer.amount.amountMinor, brandId]);
 *   await outbox.enqueue(tx, "offer_sent", { offer });
 * });
 * ```
 */
export interface Outbox {
  /**
   * Validates `data` against the contract and inserts the event in `tx`, the caller's transaction:
   * it is delivered only if that transaction commits. A `RequestValidationError` (each issue
   * listed) is thrown before anything is written; it rolls nothing back by itself, your
   * transaction decides.
   */
  enqueue<E extends EventName>(tx: Queryable, event: E, data: EventDataInput<E>, options?: EnqueueOptions): Promise<EnqueueResult>;
  /** The event and all its attempts, or `undefined` for an id the outbox does not hold. */
  status(eventId: string): Promise<OutboxEventStatus | undefined>;
  /** Events, oldest first, optionally in one state. `limit` defaults to 100 (at most 1000). */
  list(options?: { state?: OutboxState; limit?: number }): Promise<OutboxEventSummary[]>;
  /** Puts a dead event back to pending with the same id, due now, its schedule restarted. Throws unless it is dead. */
  replay(eventId: string): Promise<OutboxEventSummary>;
}

const STATES: readonly OutboxState[] = ["pending", "delivering", "delivered", "dead"];

function violation(message: string, path: string, issue: string): RequestValidationError {
  return new RequestValidationError(message, [{ path, message: issue }]);
}

function occurredAtOf(value: string | Date | undefined, now: number): string {
  if (value === undefined) return at(now);
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      throw violation("occurredAt is an invalid Date. Pass a valid Date or an ISO-8601 UTC string.", "occurredAt", "must be a valid date");
    return value.toISOString();
  }
  const checked = IsoDateTime.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0]?.message ?? "must be an ISO-8601 UTC timestamp";
    throw violation(`occurredAt ${issue}. Pass a Date or an ISO-8601 UTC string.`, "occurredAt", issue);
  }
  return checked.data;
}

/** @internal The columns of a summary, shared by status and list. */
export const summaryColumns = (alias = "o") => `${alias}.id::text AS id, ${alias}.event, ${alias}.party, ${alias}.state, ${alias}.ordering_key,
  ${isoOf(`${alias}.occurred_at`)} AS occurred_at, ${isoOf(`${alias}.enqueued_at`)} AS enqueued_at,
  CASE WHEN ${alias}.state IN ('pending', 'delivering') THEN ${isoOf(`${alias}.next_attempt_at`)} END AS next_attempt_at,
  ${isoOf(`${alias}.delivered_at`)} AS delivered_at, ${alias}.tries, ${alias}.awaiting_campaign,
  ${alias}.last_status, ${alias}.last_code, ${alias}.last_message`;

type SummaryRow = {
  id: string;
  event: EventName;
  party: Party;
  state: OutboxState;
  ordering_key: string | null;
  occurred_at: string;
  enqueued_at: string;
  next_attempt_at: string | null;
  delivered_at: string | null;
  tries: number;
  awaiting_campaign: boolean;
  last_status: number | null;
  last_code: string | null;
  last_message: string | null;
};

function toSummary(row: SummaryRow): OutboxEventSummary {
  const failed = row.state !== "delivered" && (row.last_code !== null || row.last_status !== null);
  return {
    eventId: row.id,
    event: row.event,
    party: row.party,
    state: row.state,
    orderingKey: row.ordering_key,
    occurredAt: row.occurred_at,
    enqueuedAt: row.enqueued_at,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
    tries: Number(row.tries),
    awaitingCampaign: row.awaiting_campaign,
    lastError: failed ? { status: row.last_status, code: row.last_code, message: row.last_message } : null,
  };
}

/**
 * Makes the outbox over `db` (the tables `migrate(db)` created).
 *
 * @example
 * ```ts
 * import { createOutbox, fromPg, migrate } from "@dttracker-dobbletap/sdk/postgres";
 *
 * const db = fromPg(pool);
 * await migrate(db);
 * const outbox = createOutbox({ db });
 * const { syncStatus } = await db.transaction(async (tx) => {
 *   await tx.query("update brands set balance_minor = balance_minor - $1 where id = $2", [7_500_000, brandId]);
 *   return outbox.enqueue(tx, "offer_sent", { offer });
 * });
 * syncStatus; // { synced: false, error: null, retryQueued: true }
 * ```
 */
export function createOutbox(options: OutboxOptions): Outbox {
  const db = asDatabase(options?.db, "createOutbox({ db })");
  const s = quoteSchema(options.schema ?? DEFAULT_SCHEMA);
  const now = options.now ?? Date.now;

  async function enqueue<E extends EventName>(tx: Queryable, event: E, data: EventDataInput<E>, enqueueOptions: EnqueueOptions = {}): Promise<EnqueueResult> {
    if (typeof (tx as Queryable | undefined)?.query !== "function") {
      throw new DatabaseError(
        "INVALID_DATABASE",
        "outbox.enqueue(tx, event, data) needs the transaction your db.transaction(async (tx) => …) hands you, so the event commits with your own change.",
      );
    }
    if (!isEventName(event)) {
      throw violation(
        `"${String(event).slice(0, 64)}" is not a contract event. Events: ${Object.keys(events).join(", ")}.`,
        "event",
        "must be a contract event",
      );
    }
    const id = enqueueOptions.id ?? crypto.randomUUID();
    if (!Uuid.safeParse(id).success) {
      throw violation("The id option must be a UUID (the envelope id and webhook-id), or omitted.", "id", "must be a UUID");
    }
    const clock = now();
    const occurredAt = occurredAtOf(enqueueOptions.occurredAt, clock);
    const checked = parseEventData(event, data);
    if (!checked.success) throw new RequestValidationError(checked.error.message, checked.error.issues ?? []);
    const parsed = checked.data as EventData<E>;
    const campaignId = campaignIdOf(event, parsed) ?? null;
    const orderingKey = enqueueOptions.orderingKey === undefined ? campaignId : enqueueOptions.orderingKey;
    if (orderingKey !== null && (typeof orderingKey !== "string" || orderingKey === "" || orderingKey.length > 200)) {
      throw violation(
        "orderingKey must be a non-empty string of at most 200 characters, or null for no ordering.",
        "orderingKey",
        "must be a string of 1–200 characters or null",
      );
    }
    const party = endpoints[events[event].endpoint].receiver;
    const json = JSON.stringify(parsed);
    const inserted = await tx.query(
      `INSERT INTO ${s}.outbox (id, party, event, data, occurred_at, ordering_key, campaign_id, next_attempt_at, enqueued_at)
       VALUES ($1::uuid, $2, $3, $4::text::jsonb, $5::timestamptz, $6, $7, $8::timestamptz, $8::timestamptz)
       ON CONFLICT (id) DO NOTHING`,
      [id, party, event, json, occurredAt, orderingKey, campaignId, at(clock)],
    );
    if (inserted.rowCount === 0) {
      const existing = await tx.query<{ same: boolean }>(`SELECT (event = $2 AND data = $3::text::jsonb) AS same FROM ${s}.outbox WHERE id = $1::uuid`, [
        id,
        event,
        json,
      ]);
      if (existing.rows[0]?.same !== true) {
        throw violation(
          `The id ${id} is already in the outbox for another event or other data. Use a new id for a new event; reuse an id only to enqueue the very same event again.`,
          "id",
          "already used for another event",
        );
      }
    }
    return { eventId: id, syncStatus: { synced: false, error: null, retryQueued: true } };
  }

  async function status(eventId: string): Promise<OutboxEventStatus | undefined> {
    if (!Uuid.safeParse(eventId).success) return undefined;
    const { rows } = await db.query<SummaryRow & { result: unknown; duplicate: boolean | null }>(
      `SELECT ${summaryColumns()}, o.result, o.duplicate FROM ${s}.outbox o WHERE o.id = $1::uuid`,
      [eventId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const attempts = await db.query<{
      attempt: number;
      dispatcher: string;
      started_at: string;
      finished_at: string | null;
      duration_ms: number | null;
      status: number | null;
      code: string | null;
      message: string | null;
    }>(
      `SELECT attempt, dispatcher, ${isoOf("started_at")} AS started_at, ${isoOf("finished_at")} AS finished_at, duration_ms, status, code, message
       FROM ${s}.outbox_attempts WHERE event_id = $1::uuid ORDER BY attempt`,
      [eventId],
    );
    return {
      ...toSummary(row),
      result: row.result ?? null,
      duplicate: row.duplicate,
      attempts: attempts.rows.map((a) => ({
        attempt: Number(a.attempt),
        dispatcher: a.dispatcher,
        startedAt: a.started_at,
        finishedAt: a.finished_at,
        durationMs: a.duration_ms === null ? null : Number(a.duration_ms),
        status: a.status,
        code: a.code,
        message: a.message,
      })),
    };
  }

  async function list(listOptions: { state?: OutboxState; limit?: number } = {}): Promise<OutboxEventSummary[]> {
    const { state, limit = 100 } = listOptions;
    if (state !== undefined && !STATES.includes(state)) throw new RangeError(`state must be one of ${STATES.join(", ")}; got ${String(state)}.`);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new RangeError(`limit must be a whole number from 1 to 1000; got ${String(limit)}.`);
    const { rows } = await db.query<SummaryRow>(
      `SELECT ${summaryColumns()} FROM ${s}.outbox o WHERE ($1::text IS NULL OR o.state = $1::text) ORDER BY o.seq LIMIT $2::int`,
      [state ?? null, limit],
    );
    return rows.map(toSummary);
  }

  async function replay(eventId: string): Promise<OutboxEventSummary> {
    const { rows } = await db.query<SummaryRow>(
      `UPDATE ${s}.outbox o SET state = 'pending', tries = 0, next_attempt_at = $2::timestamptz, awaiting_campaign = false, lease_token = NULL
       WHERE o.id = $1::uuid AND o.state = 'dead' RETURNING ${summaryColumns()}`,
      [Uuid.safeParse(eventId).success ? eventId : "00000000-0000-0000-0000-000000000000", at(now())],
    );
    if (rows[0]) return toSummary(rows[0]);
    const current = await status(eventId);
    throw new DatabaseError(
      current ? "INVALID_STATE" : "NOT_FOUND",
      current
        ? `outbox.replay(${eventId}): the event is ${current.state}, not dead; only a dead event is replayed (a pending one is already due to be sent).`
        : `outbox.replay(${eventId}): no such event in the outbox; check the eventId enqueue returned.`,
    );
  }

  return Object.freeze({ enqueue, status, list, replay });
}
