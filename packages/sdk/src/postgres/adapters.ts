// Thin adapters from the three drivers to `Database`. They are structural: no driver is imported, so
// a user installs only the one they use (all three are optional peer dependencies).
import { DatabaseError } from "./database-error.js";
import type { Database, Queryable, Row } from "./database.js";

type Result<R> = { rows: R[]; rowCount: number };

/** The part of a `pg` Client / PoolClient the adapter uses. */
export interface PgClientLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}
/** The part of a `pg` Pool the adapter uses. */
export interface PgPoolLike extends PgClientLike {
  connect(): Promise<PgClientLike & { release(error?: Error | boolean): void }>;
  readonly totalCount: number;
}
/** The part of a postgres.js transaction (`sql.begin`'s argument) the adapter uses. */
export interface PostgresJsTransactionLike {
  // postgres.js types its parameters per custom type; any value is accepted at run time.
  unsafe(text: string, params?: unknown[]): PromiseLike<unknown> & { simple?(): PromiseLike<unknown> };
}
/** The part of a postgres.js `sql` the adapter uses. */
export interface PostgresJsLike extends PostgresJsTransactionLike {
  begin(fn: (tx: PostgresJsTransactionLike) => Promise<unknown>): PromiseLike<unknown>;
}
/** The part of a PGlite instance the adapter uses. */
export interface PGliteLike {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; affectedRows?: number }>;
  exec(script: string): Promise<unknown>;
  transaction<T>(fn: (tx: Omit<PGliteLike, "transaction">) => Promise<T>): Promise<T>;
}

const adapterNames = "fromPg(pool or client) for `pg`, fromPostgresJs(sql) for `postgres` (postgres.js), fromPGlite(db) for `@electric-sql/pglite`";

function notA(what: string, got: unknown): DatabaseError {
  const kind = got === null ? "null" : typeof got === "function" ? "a function" : typeof got;
  return new DatabaseError("INVALID_DATABASE", `${what} got ${kind} that is not one: wrap your driver with one of the three adapters, ${adapterNames}.`);
}

const isObject = (value: unknown): value is Record<string, unknown> => (typeof value === "object" || typeof value === "function") && value !== null;

function looksLikePgPool(value: unknown): value is PgPoolLike {
  return isObject(value) && typeof value.query === "function" && typeof value.connect === "function" && "totalCount" in value;
}
function looksLikePgClient(value: unknown): value is PgClientLike {
  return isObject(value) && typeof value.query === "function" && ("connectionParameters" in value || typeof value.release === "function");
}
function looksLikePostgresJs(value: unknown): value is PostgresJsLike {
  return (
    typeof value === "function" &&
    typeof (value as unknown as Record<string, unknown>).unsafe === "function" &&
    typeof (value as unknown as Record<string, unknown>).begin === "function"
  );
}
function looksLikePGlite(value: unknown): value is PGliteLike {
  return (
    isObject(value) && typeof value.query === "function" && typeof value.exec === "function" && typeof value.transaction === "function" && !("driver" in value)
  );
}

/** True for a `Database` made by one of the adapters (or anything of that shape). */
export function isDatabase(value: unknown): value is Database {
  return (
    isObject(value) &&
    (value.driver === "pg" || value.driver === "postgres" || value.driver === "pglite") &&
    typeof value.query === "function" &&
    typeof value.transaction === "function"
  );
}

/**
 * `db` as a `Database`, or a `DatabaseError` (`INVALID_DATABASE`) naming the three adapters.
 *
 * @example
 * ```ts
 * const checked = asDatabase(options.db, "createOutbox({ db })");
 * ```
 */
export function asDatabase(db: unknown, where: string): Database {
  if (isDatabase(db)) return db;
  throw notA(`${where} needs a Database made by an adapter, and`, db);
}

// Serialises work on one connection: a transaction on a single pg Client owns it until it ends.
function createMutex(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

function pgQueryable(client: PgClientLike): Required<Queryable> {
  return {
    async query<R extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<Result<R>> {
      const result = await client.query(text, params as unknown[]);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(script: string): Promise<void> {
      // No parameters: pg uses the simple protocol, which runs several statements.
      await client.query(script);
    },
  };
}

/** Runs `fn` in BEGIN … COMMIT on `client`; returns false in `clean` when the connection is left unusable. */
async function inPgTransaction<T>(client: PgClientLike, fn: (tx: Queryable) => Promise<T>, state = { clean: true }): Promise<T> {
  await client.query("BEGIN");
  let result: T;
  try {
    result = await fn(pgQueryable(client));
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {
      state.clean = false;
    });
    throw error;
  }
  try {
    await client.query("COMMIT");
  } catch (error) {
    // A failed COMMIT (connection lost) leaves nothing committed; the connection is not reused.
    state.clean = false;
    throw error;
  }
  return result;
}

/**
 * A `Database` over node-postgres: a `pg.Pool` (recommended: each transaction gets its own
 * connection) or one connected `pg.Client` (its work is serialised: one transaction at a time).
 *
 * @example
 * ```ts
 * import pg from "pg";
 * import { fromPg, migrate } from "@dttracker-dobbletap/sdk/postgres";
 *
 * const db = fromPg(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await migrate(db);
 * ```
 */
export function fromPg(poolOrClient: PgPoolLike | PgClientLike): Database {
  if (looksLikePgPool(poolOrClient)) {
    const pool = poolOrClient;
    const direct = pgQueryable(pool);
    return {
      driver: "pg",
      query: direct.query,
      exec: direct.exec,
      async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
        const client = await pool.connect();
        const state = { clean: true };
        try {
          return await inPgTransaction(client, fn, state);
        } finally {
          // A connection whose ROLLBACK or COMMIT failed is destroyed, not handed back to the pool.
          client.release(state.clean ? undefined : true);
        }
      },
    };
  }
  if (looksLikePgClient(poolOrClient)) {
    const client = poolOrClient;
    const exclusive = createMutex();
    const direct = pgQueryable(client);
    return {
      driver: "pg",
      query: (text, params) => exclusive(() => direct.query(text, params)),
      exec: (script) => exclusive(() => direct.exec(script)),
      transaction: (fn) => exclusive(() => inPgTransaction(client, fn)),
    };
  }
  throw notA("fromPg(poolOrClient) expects a pg.Pool or a connected pg.Client, and", poolOrClient);
}

function postgresJsQueryable(sql: PostgresJsTransactionLike): Required<Queryable> {
  return {
    async query<R extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<Result<R>> {
      const result = (await sql.unsafe(text, params as unknown[])) as R[] & { count?: number };
      return { rows: [...result], rowCount: typeof result.count === "number" ? result.count : result.length };
    },
    async exec(script: string): Promise<void> {
      // The simple protocol runs a script of several statements.
      const pending = sql.unsafe(script);
      await (typeof pending.simple === "function" ? pending.simple() : pending);
    },
  };
}

/**
 * A `Database` over postgres.js (the `postgres` package, what Supabase recommends on Deno). With
 * Supabase's transaction pooler (port 6543) create it with `{ prepare: false }`.
 *
 * @example
 * ```ts
 * import postgres from "postgres";
 * import { fromPostgresJs } from "@dttracker-dobbletap/sdk/postgres";
 *
 * const db = fromPostgresJs(postgres(process.env.DATABASE_URL!, { prepare: false }));
 * ```
 */
export function fromPostgresJs(sql: PostgresJsLike): Database {
  if (!looksLikePostgresJs(sql)) throw notA("fromPostgresJs(sql) expects the `sql` function made by postgres(url), and", sql);
  const direct = postgresJsQueryable(sql);
  return {
    driver: "postgres",
    query: direct.query,
    exec: direct.exec,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return (await sql.begin((tx) => fn(postgresJsQueryable(tx)))) as T;
    },
  };
}

function pgliteQueryable(db: Omit<PGliteLike, "transaction">): Required<Queryable> {
  return {
    async query<R extends Row = Row>(text: string, params: readonly unknown[] = []): Promise<Result<R>> {
      const result = await db.query(text, params as unknown[]);
      // PGlite reports affectedRows 0 for a SELECT: the rows are the count then.
      return { rows: result.rows as R[], rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
    },
    async exec(script: string): Promise<void> {
      await db.exec(script);
    },
  };
}

/**
 * A `Database` over PGlite (`@electric-sql/pglite`, Postgres in WASM, in process): no server to run.
 * A file-backed PGlite (`new PGlite("./data")`) keeps the outbox across restarts. PGlite has one
 * connection: do not open a transaction from inside another.
 *
 * @example
 * ```ts
 * import { PGlite } from "@electric-sql/pglite";
 * import { fromPGlite, migrate } from "@dttracker-dobbletap/sdk/postgres";
 *
 * const db = fromPGlite(new PGlite("./.data/outbox"));
 * await migrate(db);
 * ```
 */
export function fromPGlite(db: PGliteLike): Database {
  if (!looksLikePGlite(db)) throw notA("fromPGlite(db) expects a PGlite instance (new PGlite()), and", db);
  const direct = pgliteQueryable(db);
  return {
    driver: "pglite",
    query: direct.query,
    exec: direct.exec,
    transaction: (fn) => db.transaction((tx) => fn(pgliteQueryable(tx))),
  };
}
