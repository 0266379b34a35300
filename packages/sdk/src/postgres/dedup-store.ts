// The receiver's dedup store on Postgres: the claim is an INSERT of the id inside the transaction
// that runs the handler. The primary key makes the claim atomic across every instance; the open
// transaction is the lease (a crashed holder's connection ends, its transaction rolls back, the id is
// free at once); `complete` writes the answer and commits, `release` rolls back.
import type { Claim, ClaimOptions, DedupLease, DedupStore, StoredAnswer } from "../receiver/dedup-store.js";
import { asDatabase } from "./adapters.js";
import type { Database, Queryable } from "./database.js";
import { DEFAULT_SCHEMA, quoteSchema } from "./schema.js";

const DAY_SECONDS = 24 * 60 * 60;
// SQLSTATE lock_not_available: the lock_timeout of the claim ran out (another delivery holds the id).
const LOCK_NOT_AVAILABLE = "55P03";

/**
 * Options of {@link postgresDedupStore}.
 *
 * @example
 * ```ts
 * const options: PostgresDedupStoreOptions = { db: fromPg(pool), retentionDays: 7 };
 * ```
 */
export interface PostgresDedupStoreOptions {
  /** The database, from `fromPg`, `fromPostgresJs` or `fromPGlite`; `migrate(db)` must have run. */
  db: Database;
  /** How long a success is remembered. Default 7 (contract v1.1: at least 7 days). */
  retentionDays?: number;
  /** The schema `migrate` put the tables in. Default `webhook_kit`. */
  schema?: string;
  /** The most expired rows one sweep deletes. Default 500. */
  sweepBatch?: number;
  /** At most one automatic sweep (after a success) per this many milliseconds, per store. Default 60 000; 0 turns it off. */
  sweepEveryMs?: number;
  /** Where a failed automatic sweep is reported. Default: one `console.warn` line with the error's name. */
  onSweepError?: (error: unknown) => void;
  /**
   * `"off"` trades durability for speed: each delivery's transaction commits without waiting for
   * its WAL to reach disk (`SET LOCAL synchronous_commit = off`, that transaction only). A crash of
   * the database server (not of the receiver) can then lose the last few hundred milliseconds of
   * commits *after they were answered 200* — the remembered ids and, with `transactional: true`,
   * the handlers' writes — and the sender will not retry an event it saw succeed. Only for
   * receivers whose handlers' effects are safe elsewhere and where a retry running twice after such
   * a crash is acceptable. `"on"` makes each delivery's commit wait for the disk even on a server
   * configured otherwise. Default: unset, the server's own setting (PostgreSQL's default is on).
   */
  synchronousCommit?: "on" | "off";
}

/**
 * The Postgres dedup store: the `DedupStore` contract, transactional (`lease.tx` is the handler's
 * transaction), plus `sweep()`.
 *
 * @example
 * ```ts
 * const store: PostgresDedupStore = postgresDedupStore({ db });
 * const deleted = await store.sweep();
 * ```
 */
export interface PostgresDedupStore extends DedupStore<Queryable> {
  readonly transactional: true;
  /**
   * Deletes up to `sweepBatch` rows older than the retention (oldest first, through the
   * `remembered_at` index) and resolves how many. Runs by itself at most once a minute after a
   * success; call it from a scheduled job too if the traffic is bursty.
   */
  sweep(): Promise<number>;
  /** Forgets one remembered id (what `createProviderStates` does with the pacts' ids on a test deployment). */
  forget(id: string): Promise<void>;
}

/** The statements, for one schema; exported for the tests' plan checks, not by the package. */
export function inboxStatements(schema: string, options: { synchronousCommit?: "on" | "off" | undefined } = {}) {
  const table = `${quoteSchema(schema)}.inbox`;
  // Set in the claim's own statement: an opt-in costs no round trip.
  const commitMode =
    options.synchronousCommit === undefined
      ? ""
      : `, set_config('synchronous_commit', '${options.synchronousCommit === "off" ? "off" : "on"}', true) AS durability`;
  return {
    // cfg is evaluated before the row exists (the row is selected from it), so its lock_timeout
    // bounds the wait on a concurrent holder; RETURNING runs only once the id is ours, and lifts the
    // lock_timeout to the lease for the handler's own statements. An expired row is taken over.
    claim:
      `WITH cfg AS MATERIALIZED (SELECT set_config('lock_timeout', $3, true) AS lock, ` +
      `set_config('statement_timeout', $4, true) AS statement, set_config('idle_in_transaction_session_timeout', $4, true) AS idle${commitMode}) ` +
      `INSERT INTO ${table} AS inbox (id, remembered_at) SELECT $1, clock_timestamp() FROM cfg ` +
      `ON CONFLICT (id) DO UPDATE SET remembered_at = clock_timestamp(), event = NULL, digest = NULL, answer = NULL ` +
      `WHERE inbox.remembered_at < clock_timestamp() - make_interval(secs => $2) ` +
      `RETURNING set_config('lock_timeout', $4, true) AS claimed`,
    find: `SELECT event, digest, answer FROM ${table} WHERE id = $1`,
    forget: `DELETE FROM ${table} WHERE id = $1`,
    complete: `UPDATE ${table} SET event = $2, digest = $3, answer = $4::json, remembered_at = clock_timestamp() WHERE id = $1`,
    // = ANY(ARRAY(…)): the batch's ids are known before the delete runs, so it finds them through the
    // primary key (an IN (subquery) is planned as a semi-join over the whole table).
    sweep:
      `DELETE FROM ${table} WHERE id = ANY (ARRAY(SELECT id FROM ${table} ` +
      `WHERE remembered_at < clock_timestamp() - make_interval(secs => $1) ORDER BY remembered_at LIMIT $2 FOR UPDATE SKIP LOCKED))`,
  };
}

/** Thrown inside the transaction to roll it back on purpose (release, or a claim given up). */
class Rollback extends Error {
  override name = "Rollback";
}

function positiveInteger(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`postgresDedupStore: ${name} must be an integer ≥ ${min}; got ${String(value)}.`);
  return value;
}

/**
 * The receiver's dedup store on Postgres (contract v1.1, "Idempotency and retention"): one row per
 * successful `webhook-id` in `webhook_kit.inbox` (migration `0002_inbox`), shared by every instance.
 * Of concurrent deliveries of one id across processes exactly one runs the handler: the others wait
 * on the id's primary key (bounded by `duplicateWaitMs`) for its commit and answer with its answer.
 * With `createWebhookHandler({ transactional: true })` the handler's writes through `tx` commit with
 * the remembered answer in one transaction: a throw, a timeout or a crash leaves neither.
 *
 * Each delivery holds one connection for the length of its handler: size the pool for the
 * deliveries you run at once.
 *
 * @example
 * ```ts
 * import { fromPostgresJs, migrate, postgresDedupStore } from "@dttracker-dobbletap/sdk/postgres";
 *
 * const db = fromPostgresJs(postgres(Deno.env.get("SUPABASE_DB_URL")!));
 * await migrate(db);
 * const handle = createWebhookHandler({
 *   endpoint: "dttracker.webhooks",
 *   secrets,
 *   dedupStore: postgresDedupStore({ db }),
 *   transactional: true,
 *   handlers: {
 *     offer_accepted: async ({ data }, { tx }) => {
 *       await tx.query("update creator_campaigns set status = 'accepted' where offer_id = $1", [data.offerId]);
 *       return { type: "offer", id: data.offerId, status: "accepted" };
 *     },
 *     offer_declined: async ({ data }, { tx }) => {
 *       await tx.query("update creator_campaigns set status = 'declined' where offer_id = $1", [data.offerId]);
 *       return { type: "offer", id: data.offerId, status: "declined" };
 *     },
 *   },
 * });
 * ```
 */
export function postgresDedupStore(options: PostgresDedupStoreOptions): PostgresDedupStore {
  const db = asDatabase(options?.db, "postgresDedupStore({ db })");
  const retentionDays = options.retentionDays ?? 7;
  if (typeof retentionDays !== "number" || !(retentionDays > 0) || !Number.isFinite(retentionDays)) {
    throw new RangeError(`postgresDedupStore: retentionDays must be > 0 (contract v1.1 asks for 7); got ${String(retentionDays)}.`);
  }
  const retentionSeconds = retentionDays * DAY_SECONDS;
  const sweepBatch = positiveInteger("sweepBatch", options.sweepBatch ?? 500, 1);
  const sweepEveryMs = positiveInteger("sweepEveryMs", options.sweepEveryMs ?? 60_000, 0);
  const onSweepError =
    options.onSweepError ??
    ((error: unknown) =>
      console.warn(
        `[@dttracker-dobbletap/sdk] postgresDedupStore: the automatic sweep of expired ids failed (${error instanceof Error ? error.name : typeof error}); it is tried again later.`,
      ));
  const synchronousCommit = options.synchronousCommit;
  if (synchronousCommit !== undefined && synchronousCommit !== "on" && synchronousCommit !== "off") {
    throw new RangeError(`postgresDedupStore: synchronousCommit must be "on" or "off"; got ${String(synchronousCommit)}.`);
  }
  const sql = inboxStatements(options.schema ?? DEFAULT_SCHEMA, { synchronousCommit });
  let lastSweep = Date.now();

  const sweep = async (): Promise<number> => (await db.query(sql.sweep, [retentionSeconds, sweepBatch])).rowCount;

  const maybeSweep = () => {
    if (sweepEveryMs === 0 || Date.now() - lastSweep < sweepEveryMs) return;
    lastSweep = Date.now();
    sweep().catch(onSweepError);
  };

  const claim = (id: string, claimOptions: ClaimOptions): Promise<Claim<Queryable>> =>
    new Promise<Claim<Queryable>>((resolve, reject) => {
      let answered = false;
      const answer = (claim: Claim<Queryable>) => {
        if (answered) return false;
        answered = true;
        clearTimeout(waitTimer);
        resolve(claim);
        return true;
      };
      // The lock_timeout bounds the wait on the row; this bounds the wait for a connection too (a
      // busy pool, PGlite's one connection). A transaction that starts after it gives up at once.
      const waitTimer = setTimeout(() => answer({ status: "busy" }), claimOptions.waitMs + 50);

      let decide!: (answer: StoredAnswer | undefined) => void;
      const decided = new Promise<StoredAnswer | undefined>((settle) => (decide = settle));
      let leaseTimer: ReturnType<typeof setTimeout> | undefined;

      const transaction = db.transaction(async (tx) => {
        if (answered) throw new Rollback("the claim was given up before the transaction started");
        for (let attempt = 0; ; attempt++) {
          let claimed: boolean;
          try {
            const inserted = await tx.query(sql.claim, [id, retentionSeconds, `${claimOptions.waitMs}ms`, `${claimOptions.leaseMs}ms`]);
            claimed = inserted.rowCount > 0;
          } catch (error) {
            if ((error as { code?: unknown } | null)?.code === LOCK_NOT_AVAILABLE) {
              answer({ status: "busy" });
              throw new Rollback("another delivery holds the id");
            }
            throw error;
          }
          if (claimed) break;
          // The holder committed: its answer is the answer. (Rows are committed only with one.)
          const found = await tx.query<{ event: string; digest: string; answer: unknown }>(sql.find, [id]);
          const row = found.rows[0];
          if (row !== undefined && row.answer !== null) {
            const body = typeof row.answer === "string" ? JSON.parse(row.answer) : row.answer;
            answer({ status: "done", answer: { event: row.event, digest: row.digest, body } as StoredAnswer });
            return;
          }
          // Swept between the two statements: claim it again (once; then something is very wrong).
          if (attempt > 0) throw new Error(`postgresDedupStore: the inbox row of ${id} is neither claimable nor complete.`);
        }

        let open = true;
        const guarded: Queryable = {
          query: (text, params) => {
            if (!open)
              return Promise.reject(new Error("This delivery's transaction is over (the handler finished or ran out of time): tx cannot be used any more."));
            return tx.query(text, params);
          },
        };
        if (typeof tx.exec === "function") {
          const exec = tx.exec.bind(tx);
          guarded.exec = (script) => (open ? exec(script) : Promise.reject(new Error("This delivery's transaction is over: tx cannot be used any more.")));
        }
        const lease: DedupLease<Queryable> = {
          tx: guarded,
          complete: (stored) => {
            decide(stored);
            return transaction.then(() => {});
          },
          release: () => {
            decide(undefined);
            return transaction.then(
              () => {},
              (error: unknown) => {
                if (!(error instanceof Rollback)) throw error;
              },
            );
          },
        };
        if (!answer({ status: "claimed", lease })) throw new Rollback("the claim was given up while waiting");
        // A holder that never settles must not keep the row locked: the lease ends it (the server's
        // idle_in_transaction_session_timeout does the same if this process hangs).
        leaseTimer = setTimeout(() => decide(undefined), claimOptions.leaseMs);
        const stored = await decided;
        clearTimeout(leaseTimer);
        open = false;
        if (stored === undefined) throw new Rollback("released");
        await tx.query(sql.complete, [id, stored.event, stored.digest, JSON.stringify(stored.body)]);
      });
      transaction.then(
        () => {
          if (!answered) reject(new Error("postgresDedupStore: the claim's transaction ended without an outcome."));
          else maybeSweep();
        },
        (error: unknown) => {
          clearTimeout(leaseTimer);
          if (!answered) {
            answered = true;
            clearTimeout(waitTimer);
            reject(error);
          }
        },
      );
    });

  // A test deployment's provider states (createProviderStates) forget the pacts' ids with it.
  const forget = async (id: string) => {
    await db.query(sql.forget, [id]);
  };
  return { transactional: true, claim, sweep, forget };
}
