/**
 * The mock's state in Postgres, so that it survives a restart: a PGlite database in a folder
 * (`--data-dir`) or a real server (`--database-url`). The SDK's postgresDedupStore remembers the
 * deliveries; the state is one snapshot row per party, written in the same transaction as each
 * delivery's remembered answer (and after each admin change). In memory stays the default.
 */
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fromPGlite, fromPg, migrate, postgresDedupStore, type Database, type PostgresDedupStore, type Queryable } from "@dttracker-dobbletap/sdk/postgres";
import type { MockParty } from "./seed.js";
import type { MockSeed } from "./state.js";

/**
 * Where the mock keeps its state; give one of the two.
 *
 * @example
 * ```ts
 * const persistence = await openPersistence({ dataDir: ".mock-data" });
 * ```
 */
export interface PersistenceOptions {
  /** A folder: the state goes into a PGlite database in `<dataDir>/pglite`. */
  dataDir?: string;
  /** A PostgreSQL URL: the state goes into that database (schema `webhook_kit`). */
  databaseUrl?: string;
}

/**
 * An open state database; see {@link openPersistence}.
 *
 * @example
 * ```ts
 * const mock = await startMockServer({ persistence: await openPersistence({ dataDir: ".mock-data" }) });
 * ```
 */
export interface MockPersistence {
  /** What it is, for the CLI's banner (never the URL's password). */
  readonly description: string;
  readonly dedupStore: PostgresDedupStore;
  /** The saved state of `party`, or undefined on a fresh database. */
  load(party: MockParty): Promise<MockSeed | undefined>;
  /** Saves `snapshot` in `tx` (a delivery's transaction), or on its own. A newer save is never overwritten by an older one. */
  save(party: MockParty, snapshot: MockSeed, tx?: Queryable): Promise<void>;
  /** Forgets every remembered delivery (the admin API's "forget deliveries"). */
  forgetDeliveries(): Promise<void>;
  close(): Promise<void>;
}

// Names held in variables: the bundled CLI leaves these imports to run time (PGlite loads its wasm
// beside its own module), and a mock that keeps state in memory never loads a driver.
const PGLITE = "@electric-sql/pglite";
const PG = "pg";

/**
 * Opens (and migrates) the database that keeps the mock's state.
 *
 * @example
 * ```ts
 * const persistence = await openPersistence({ databaseUrl: process.env.DATABASE_URL });
 * ```
 */
export async function openPersistence(options: PersistenceOptions): Promise<MockPersistence> {
  if ((options.dataDir === undefined) === (options.databaseUrl === undefined)) {
    throw new TypeError("openPersistence needs exactly one of dataDir (a folder for PGlite) or databaseUrl (a PostgreSQL URL).");
  }
  let db: Database;
  let end: () => Promise<void>;
  let description: string;
  if (options.dataDir !== undefined) {
    const { PGlite } = (await import(PGLITE)) as typeof import("@electric-sql/pglite");
    // PGlite makes only the last folder of its path.
    mkdirSync(options.dataDir, { recursive: true });
    const lite = await PGlite.create(join(options.dataDir, "pglite"));
    db = fromPGlite(lite);
    end = () => lite.close();
    description = `PGlite in ${join(options.dataDir, "pglite")}`;
  } else {
    const { default: pg } = (await import(PG)) as typeof import("pg");
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    db = fromPg(pool);
    end = () => pool.end();
    const url = new URL(options.databaseUrl!);
    description = `PostgreSQL at ${url.hostname}:${url.port || "5432"}${url.pathname}`;
  }
  // The SDK's own migrations folder: the bundled CLI is not beside it, so migrate() cannot find it alone.
  const sdkRoot = dirname(createRequire(import.meta.url).resolve("@dttracker-dobbletap/sdk/package.json"));
  await migrate(db, { directory: join(sdkRoot, "migrations") });
  await db.query("CREATE TABLE IF NOT EXISTS webhook_kit.mock_state (party text PRIMARY KEY, version bigint NOT NULL, snapshot jsonb NOT NULL)");
  // Versions order the saves of concurrent deliveries: each snapshot is newer than the one before.
  let version = Date.now() * 1000;
  return {
    description,
    dedupStore: postgresDedupStore({ db }),
    async load(party) {
      const { rows } = await db.query<{ snapshot: unknown }>("SELECT snapshot FROM webhook_kit.mock_state WHERE party = $1", [party]);
      const snapshot = rows[0]?.snapshot;
      return snapshot === undefined ? undefined : ((typeof snapshot === "string" ? JSON.parse(snapshot) : snapshot) as MockSeed);
    },
    async save(party, snapshot, tx = db) {
      await tx.query(
        "INSERT INTO webhook_kit.mock_state (party, version, snapshot) VALUES ($1, $2, $3::jsonb) " +
          "ON CONFLICT (party) DO UPDATE SET version = excluded.version, snapshot = excluded.snapshot WHERE mock_state.version < excluded.version",
        [party, String(++version), JSON.stringify(snapshot)],
      );
    },
    async forgetDeliveries() {
      await db.query("DELETE FROM webhook_kit.inbox");
    },
    close: end,
  };
}
