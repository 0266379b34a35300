import { endpoints, events, eventsAt, type EventName, type Party } from "@dttracker-dobbletap/contracts";
import { notify } from "../client/notify.js";
import type { DobbletapClient, DttrackerClient, SendResult } from "../client/types.js";
import { isRetryableFailure } from "../client/retry.js";
import { isRequestValidationError } from "../errors/request-validation-error.js";
import { asDatabase } from "./adapters.js";
import type { Database, Queryable } from "./database.js";
import { nextDelayMs } from "./schedule.js";
import { DEFAULT_SCHEMA, quoteSchema } from "./schema.js";
import { at, isoOf } from "./sql-time.js";

/**
 * Observability hooks, in the style of the client's `hooks`: one call per attempt and per outcome.
 * They carry ids, event names, statuses and codes, never data, a header, a secret or a token. A hook
 * that throws is ignored.
 *
 * @example
 * ```ts
 * const hooks: DispatcherHooks = {
 *   onDelivered: ({ eventId, event, attempt, ms }) => log.info({ eventId, event, attempt, ms }),
 *   onDead: ({ eventId, event, code, message }) => alert(`${event} ${eventId} dead-lettered: ${code} ${message}`),
 * };
 * ```
 */
export interface DispatcherHooks {
  /** A claimed event is about to be sent. `attempt` counts every attempt ever; `tries` those since enqueue or replay. */
  onAttempt?(info: { eventId: string; event: EventName; party: Party; attempt: number; tries: number; dispatcher: string }): void;
  /** The receiver answered with the contract's success. */
  onDelivered?(info: { eventId: string; event: EventName; party: Party; attempt: number; status: number; duplicate: boolean; ms: number }): void;
  /** The attempt failed in a way that may succeed later: the next one is scheduled. */
  onRetry?(info: {
    eventId: string;
    event: EventName;
    party: Party;
    attempt: number;
    status: number | null;
    code: string;
    nextAttemptAt: string;
    /** An `offer_sent` answered 404 `CAMPAIGN_NOT_FOUND`: it is resent as soon as its campaign is delivered. */
    awaitingCampaign: boolean;
  }): void;
  /** Dead-lettered: a 4xx, a 410 (the endpoint is gone), or the last scheduled attempt failed. `outbox.replay` brings it back. */
  onDead?(info: { eventId: string; event: EventName; party: Party; attempt: number; status: number | null; code: string; message: string }): void;
}

/**
 * Options of {@link createDispatcher}.
 *
 * @example
 * ```ts
 * const dispatcher = createDispatcher({
 *   db,
 *   clients: { dobbletap: createDobbletapClient({ baseUrl, secret, retry: false }) },
 * });
 * ```
 */
export interface DispatcherOptions {
  /** The database that holds the outbox. */
  db: Database;
  /**
   * The senders, keyed by the party they send to. Give them `retry: false` (the dispatcher owns the
   * schedule) and no `retryQueue` (the outbox is the queue). Events for a party with no client here
   * are left for a dispatcher that has one.
   */
  clients: { dobbletap?: DobbletapClient; dttracker?: DttrackerClient };
  /** The schema `migrate` created the tables in. Default `webhook_kit`. */
  schema?: string;
  /** This dispatcher's name in the attempt records. Default `dispatcher-<random>`. */
  name?: string;
  /**
   * How long a claimed event is this dispatcher's: after that, another dispatcher reclaims it (the
   * one holding it is presumed dead) and sends it again, same id. Must be longer than a send can
   * take (the client's timeout, times its attempts). Default 120 000 ms.
   */
  leaseMs?: number;
  /** Events sent at once by this dispatcher. Default 16. */
  concurrency?: number;
  hooks?: DispatcherHooks;
  /** The clock for scheduling, in ms (tests). Default `Date.now`. Dispatchers on several machines need synchronised clocks (NTP). */
  now?: () => number;
  /** A number in [0, 1) for the jitter (tests). Default `Math.random`. */
  random?: () => number;
}

/**
 * What one `runOnce` did.
 *
 * @example
 * ```ts
 * const report = await dispatcher.runOnce({ limit: 200, deadlineMs: 20_000 });
 * console.info(`${report.delivered} delivered, ${report.retried} to retry, ${report.dead} dead`);
 * ```
 */
export interface RunReport {
  /** Events claimed (each got one attempt). */
  claimed: number;
  delivered: number;
  retried: number;
  dead: number;
  /** Attempts whose result was discarded: the lease had expired and another dispatcher had reclaimed the event. */
  leaseLost: number;
  /** Why it returned: nothing more was due, `limit` events were claimed, or `deadlineMs` passed. */
  stoppedBy: "idle" | "limit" | "deadline";
  ms: number;
}

/**
 * Options of `dispatcher.runOnce`.
 *
 * @example
 * ```ts
 * await dispatcher.runOnce({ limit: 500, deadlineMs: 50_000 }); // a cron-invoked function with a 60 s budget
 * ```
 */
export interface RunOnceOptions {
  /** Claim at most this many events. Default 100. */
  limit?: number;
  /** Claim nothing new after this many ms (the sends in flight still finish: leave one client timeout of room). Default 25 000. */
  deadlineMs?: number;
}

/**
 * A running worker loop from `dispatcher.start`.
 *
 * @example
 * ```ts
 * const worker = dispatcher.start({ intervalMs: 1_000 });
 * process.once("SIGTERM", () => void worker.stop());
 * ```
 */
export interface DispatcherWorker {
  /** Stops claiming, waits for the sends in flight, resolves when done. */
  stop(): Promise<void>;
}

/**
 * Delivers what the outbox holds.
 *
 * @example
 * ```ts
 * // A cron-invoked Supabase Edge Function:
 * Deno.serve(async () => Response.json(await dispatcher.runOnce({ deadlineMs: 20_000 })));
 * ```
 */
export interface Dispatcher {
  /** The name in this dispatcher's attempt records. */
  readonly name: string;
  /** Claims due events (`FOR UPDATE SKIP LOCKED`) and delivers them until none is due, `limit`, or `deadlineMs`. */
  runOnce(options?: RunOnceOptions): Promise<RunReport>;
  /**
   * Runs `runOnce` in a loop (a Node worker): again at once while there was work, after
   * `intervalMs` when idle. A failed run (the database down) is reported to `onError` and retried
   * after `intervalMs`.
   */
  start(options?: { intervalMs?: number; limit?: number; onError?: (error: unknown) => void }): DispatcherWorker;
}

type Claimed = {
  id: string;
  party: Party;
  event: EventName;
  data: unknown;
  occurred_at: string;
  attempts: number;
  tries: number;
  campaign_id: string | null;
  started_at: string;
};

type Outcome = "delivered" | "retried" | "dead" | "leaseLost";

const CAMPAIGN_LOCK = "@dttracker-dobbletap/sdk campaign ";

function positiveInt(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new RangeError(`${name} must be a whole number from 1 to ${max}; got ${String(value)}.`);
  return value;
}

function clip(text: string, max = 1000): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Makes a dispatcher: any number of them (processes, Edge Function invocations) may run on one
 * database at once; `FOR UPDATE SKIP LOCKED` and leases make sure no event is sent by two at the
 * same moment, and that one whose dispatcher died is sent again (same id) after its lease expires.
 * Attempts follow contract v1.1's schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h,
 * ±20%, `Retry-After` when later), a 4xx other than the cases below is dead-lettered at once, a
 * 410 dead-letters the endpoint's pending events too. Per ordering key, one event at a time, in
 * enqueue order; an `offer_sent` waits for its campaign's `campaign_created` and, answered 404
 * `CAMPAIGN_NOT_FOUND`, is resent once that campaign is delivered.
 *
 * @example
 * ```ts
 * import { createDobbletapClient } from "@dttracker-dobbletap/sdk";
 * import { createDispatcher, fromPg } from "@dttracker-dobbletap/sdk/postgres";
 *
 * const dispatcher = createDispatcher({
 *   db: fromPg(pool),
 *   clients: { dobbletap: createDobbletapClient({ baseUrl, secret, retry: false }) },
 * });
 * const worker = dispatcher.start({ intervalMs: 1_000 }); // Node; or runOnce() from a cron job
 * ```
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const db = asDatabase(options?.db, "createDispatcher({ db })");
  const s = quoteSchema(options.schema ?? DEFAULT_SCHEMA);
  const clients = new Map<Party, { send: (event: EventName, data: never, options: { id: string; occurredAt: string }) => Promise<SendResult> }>();
  for (const [party, client] of Object.entries(options.clients ?? {})) {
    if (client === undefined) continue;
    if (party !== "dobbletap" && party !== "dttracker") {
      throw new TypeError(`clients keys are the receiving parties, "dobbletap" and "dttracker"; got "${party}".`);
    }
    if (typeof (client as { send?: unknown }).send !== "function") {
      throw new TypeError(
        `clients.${party} must be a client from create${party === "dobbletap" ? "Dobbletap" : "Dttracker"}Client({ baseUrl, secret, retry: false }).`,
      );
    }
    clients.set(party, client as never);
  }
  if (clients.size === 0) {
    throw new TypeError(
      "createDispatcher needs at least one client: { clients: { dobbletap: createDobbletapClient(…) } } and/or { dttracker: createDttrackerClient(…) }.",
    );
  }
  const parties = [...clients.keys()].join(",");
  const name = options.name ?? `dispatcher-${crypto.randomUUID().slice(0, 8)}`;
  const leaseMs = positiveInt("leaseMs", options.leaseMs ?? 120_000, 86_400_000);
  const concurrency = positiveInt("concurrency", options.concurrency ?? 16, 1000);
  const hooks = options.hooks ?? {};
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;

  // Due rows, oldest due first, that no other dispatcher holds (SKIP LOCKED), and that are not
  // held back: behind an undelivered earlier event of their key, or, for offer_sent, behind an
  // undelivered campaign_created of its campaign. An offer waiting for its campaign never holds
  // back that campaign's campaign_created (enqueued after it, or it would wait forever). A claimed
  // row's next_attempt_at is its lease expiry.
  const claimSql = `
    WITH due AS (
      SELECT o.seq FROM ${s}.outbox o
      WHERE o.state IN ('pending', 'delivering') AND o.next_attempt_at <= $1::timestamptz
        AND o.party = ANY (string_to_array($5::text, ','))
        AND (o.ordering_key IS NULL OR NOT EXISTS (
          SELECT 1 FROM ${s}.outbox p
          WHERE p.ordering_key = o.ordering_key AND p.seq < o.seq AND p.state IN ('pending', 'delivering') AND NOT p.awaiting_campaign
            AND NOT (o.event = 'campaign_created' AND p.event = 'offer_sent' AND p.campaign_id = o.campaign_id)))
        AND (o.event <> 'offer_sent' OR o.campaign_id IS NULL OR NOT EXISTS (
          SELECT 1 FROM ${s}.outbox c
          WHERE c.campaign_id = o.campaign_id AND c.event = 'campaign_created' AND c.state IN ('pending', 'delivering')))
      ORDER BY o.next_attempt_at, o.seq
      LIMIT $2::int
      FOR UPDATE OF o SKIP LOCKED
    ), claimed AS (
      UPDATE ${s}.outbox t
      SET state = 'delivering', attempts = t.attempts + 1, tries = t.tries + 1, next_attempt_at = $3::timestamptz, lease_token = $6::uuid
      FROM due WHERE t.seq = due.seq
      RETURNING t.id, t.party, t.event, t.data, t.occurred_at, t.attempts, t.tries, t.campaign_id
    ), logged AS (
      INSERT INTO ${s}.outbox_attempts (event_id, attempt, dispatcher, started_at)
      SELECT id, attempts, $4::text, $1::timestamptz FROM claimed
    )
    SELECT id::text AS id, party, event, data, ${isoOf("occurred_at")} AS occurred_at, attempts, tries, campaign_id, $1::text AS started_at FROM claimed`;

  // Settles one attempt, only if this dispatcher still holds the lease (else another reclaimed it).
  const settleSql = (extra = "") => `
    WITH settled AS (
      UPDATE ${s}.outbox SET state = $3::text, next_attempt_at = $4::timestamptz, lease_token = NULL,
        delivered_at = CASE WHEN $3::text = 'delivered' THEN $5::timestamptz END,
        result = $6::text::jsonb, duplicate = $7::boolean, last_status = $8::int, last_code = $9::text, last_message = $10::text,
        awaiting_campaign = $11::boolean
      WHERE id = $1::uuid AND lease_token = $2::uuid
      RETURNING id, campaign_id
    ), attempt AS (
      UPDATE ${s}.outbox_attempts SET finished_at = $5::timestamptz, duration_ms = $12::float8, status = $8::int, code = $9::text, message = $10::text
      WHERE event_id = $1::uuid AND attempt = $13::int
    )${extra}
    SELECT count(*)::int AS n FROM settled`;
  const settlePlain = settleSql();
  // A delivered campaign_created wakes the offers that were answered CAMPAIGN_NOT_FOUND.
  const settleCampaign = settleSql(`, woken AS (
      UPDATE ${s}.outbox w SET next_attempt_at = $5::timestamptz, awaiting_campaign = false
      FROM settled WHERE w.campaign_id = settled.campaign_id AND w.event = 'offer_sent' AND w.awaiting_campaign AND w.state = 'pending'
    )`);

  interface Settlement {
    state: "pending" | "delivered" | "dead";
    nextAt: number;
    result?: unknown;
    duplicate?: boolean;
    status: number | null;
    code: string | null;
    message: string | null;
    awaiting: boolean;
  }

  async function settle(
    q: Queryable,
    row: Claimed,
    token: string,
    settlement: Settlement,
    finishedAt: number,
    ms: number,
    sql = settlePlain,
  ): Promise<boolean> {
    const { rows } = await q.query<{ n: number }>(sql, [
      row.id,
      token,
      settlement.state,
      at(settlement.nextAt),
      at(finishedAt),
      settlement.result === undefined ? null : JSON.stringify(settlement.result),
      settlement.duplicate ?? null,
      settlement.status,
      settlement.code,
      settlement.message === null ? null : clip(settlement.message),
      settlement.awaiting,
      ms,
      row.attempts,
    ]);
    return Number(rows[0]?.n ?? 0) === 1;
  }

  async function deliverOne(row: Claimed, token: string): Promise<Outcome> {
    const attempt = Number(row.attempts);
    const tries = Number(row.tries);
    const base = { eventId: row.id, event: row.event, party: row.party, attempt };
    notify(hooks, "onAttempt", { ...base, tries, dispatcher: name });
    const client = clients.get(row.party)!;
    const started = performance.now();
    let sent: SendResult | undefined;
    let thrown: unknown;
    try {
      sent = await client.send(row.event, row.data as never, { id: row.id, occurredAt: row.occurred_at });
    } catch (error) {
      thrown = error;
    }
    const ms = performance.now() - started;
    const finishedAt = now();

    if (sent?.success) {
      const settlement: Settlement = {
        state: "delivered",
        nextAt: finishedAt,
        result: sent.result,
        duplicate: sent.duplicate === true,
        status: sent.status ?? null,
        code: null,
        message: null,
        awaiting: false,
      };
      let kept: boolean;
      if (row.event === "campaign_created" && row.campaign_id !== null) {
        kept = await db.transaction(async (tx) => {
          await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [CAMPAIGN_LOCK + row.campaign_id]);
          return settle(tx, row, token, settlement, finishedAt, ms, settleCampaign);
        });
      } else {
        kept = await settle(db, row, token, settlement, finishedAt, ms);
      }
      if (!kept) return "leaseLost";
      notify(hooks, "onDelivered", { ...base, status: sent.status ?? 200, duplicate: sent.duplicate === true, ms });
      return "delivered";
    }

    const status = sent?.status ?? null;
    const code = sent?.syncStatus.error?.code ?? (isRequestValidationError(thrown) ? "VALIDATION_FAILED" : "INTERNAL");
    const message =
      sent?.syncStatus.error?.message ??
      (isRequestValidationError(thrown)
        ? `The stored data no longer passes the contract: ${thrown.message}`
        : `The client threw ${thrown instanceof Error ? thrown.name : typeof thrown} instead of resolving; retried on schedule.`);
    const failed = { status, code, message, result: undefined, duplicate: undefined } as const;

    const dead = async (why = message): Promise<Outcome> => {
      const kept = await settle(db, row, token, { ...failed, message: why, state: "dead", nextAt: finishedAt, awaiting: false }, finishedAt, ms);
      if (!kept) return "leaseLost";
      notify(hooks, "onDead", { ...base, status, code, message: why });
      return "dead";
    };
    const retry = async (delay: number | undefined, awaiting: boolean, q: Queryable = db): Promise<Outcome> => {
      if (delay === undefined) return dead(`${message} That was attempt ${tries} of ${tries}: dead-lettered (outbox.replay brings it back).`);
      const nextAt = finishedAt + delay;
      const kept = await settle(q, row, token, { ...failed, state: "pending", nextAt, awaiting }, finishedAt, ms);
      if (!kept) return "leaseLost";
      notify(hooks, "onRetry", { ...base, status, code, nextAttemptAt: at(nextAt), awaitingCampaign: awaiting });
      return "retried";
    };

    if (status === 410) {
      // The endpoint is gone (contract v1.1): this event and every pending one to that endpoint are dead-lettered.
      const outcome = await dead(
        `${message} 410 Gone: the endpoint no longer exists; delivery to it is stopped. Fix the base URL, then outbox.replay the dead events.`,
      );
      const endpoint = events[row.event].endpoint;
      await db.query(
        `UPDATE ${s}.outbox SET state = 'dead', lease_token = NULL, last_status = 410, last_code = 'ENDPOINT_GONE',
           last_message = $3::text
         WHERE party = $1::text AND event = ANY (string_to_array($2::text, ',')) AND state = 'pending'`,
        [
          row.party,
          eventsAt(endpoint).join(","),
          `Not attempted: ${endpoints[endpoint].path} answered 410 Gone to ${row.event} ${row.id}. Fix the base URL, then outbox.replay it.`,
        ],
      );
      return outcome;
    }
    if (row.event === "offer_sent" && code === "CAMPAIGN_NOT_FOUND" && row.campaign_id !== null) {
      // Waits behind its campaign. If the campaign_created was delivered while this attempt was in
      // flight, its wake-up found nothing to wake: retry at once. The lock orders the two.
      return db.transaction(async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [CAMPAIGN_LOCK + row.campaign_id]);
        const { rows } = await tx.query<{ arrived: boolean }>(
          `SELECT EXISTS (SELECT 1 FROM ${s}.outbox WHERE campaign_id = $1 AND event = 'campaign_created' AND state = 'delivered'
             AND delivered_at >= $2::timestamptz) AS arrived`,
          [row.campaign_id, row.started_at],
        );
        if (rows[0]?.arrived === true) return retry(0, false, tx);
        return retry(nextDelayMs(tries, { random }), true, tx);
      });
    }
    if (thrown !== undefined ? !isRequestValidationError(thrown) : isRetryableFailure(sent?.failure)) {
      return retry(nextDelayMs(tries, { random, retryAfterMs: sent?.retryAfterMs }), false);
    }
    return dead(`${message} Not retried (contract v1.1: a 4xx is final); fix the cause, then outbox.replay it.`);
  }

  async function runOnce(runOptions: RunOnceOptions = {}): Promise<RunReport> {
    const limit = positiveInt("limit", runOptions.limit ?? 100, 1_000_000);
    const deadlineMs = positiveInt("deadlineMs", runOptions.deadlineMs ?? 25_000, 86_400_000);
    const started = performance.now();
    const report: RunReport = { claimed: 0, delivered: 0, retried: 0, dead: 0, leaseLost: 0, stoppedBy: "idle", ms: 0 };
    const inFlight = new Set<Promise<void>>();
    let failure: unknown;
    // Set when a send finishes: the next of its key (or an offer behind a campaign) may now be due.
    let changed = true;

    const launch = (row: Claimed, token: string) => {
      const task = deliverOne(row, token).then(
        (outcome) => void report[outcome]++,
        (error: unknown) => {
          failure ??= error;
        },
      );
      const tracked = task.finally(() => {
        inFlight.delete(tracked);
        changed = true;
      });
      inFlight.add(tracked);
    };

    while (failure === undefined) {
      if (report.claimed >= limit) {
        report.stoppedBy = "limit";
        break;
      }
      if (performance.now() - started >= deadlineMs) {
        report.stoppedBy = "deadline";
        break;
      }
      const room = Math.min(concurrency - inFlight.size, limit - report.claimed);
      // Claims in batches (half the slots at least, unless nothing is in flight): every claim is a
      // commit, and on a durable server a commit waits for the WAL flush.
      const worthClaiming = room >= Math.min(Math.ceil(concurrency / 2), limit - report.claimed) || inFlight.size === 0;
      if (room > 0 && changed && worthClaiming) {
        changed = false;
        const token = crypto.randomUUID();
        const clock = now();
        const { rows } = await db.query<Claimed>(claimSql, [at(clock), room, at(clock + leaseMs), name, parties, token]);
        report.claimed += rows.length;
        for (const row of rows) launch(row, token);
        if (rows.length > 0) continue;
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    report.ms = performance.now() - started;
    if (failure !== undefined) throw failure;
    return report;
  }

  function start(startOptions: { intervalMs?: number; limit?: number; onError?: (error: unknown) => void } = {}): DispatcherWorker {
    const intervalMs = positiveInt("intervalMs", startOptions.intervalMs ?? 1_000, 86_400_000);
    let stopping = false;
    let wake: (() => void) | undefined;
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    const loop = (async () => {
      while (!stopping) {
        let idle = true;
        try {
          const report = await runOnce({ limit: startOptions.limit ?? 1_000, deadlineMs: 60_000 });
          idle = report.claimed === 0;
        } catch (error) {
          try {
            startOptions.onError?.(error);
          } catch {
            // A throwing error hook must not stop the worker.
          }
        }
        if (idle && !stopping) await sleep(intervalMs);
      }
    })();
    return {
      async stop() {
        stopping = true;
        wake?.();
        await loop;
      },
    };
  }

  return Object.freeze({ name, runOnce, start });
}
