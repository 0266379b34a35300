import { asDatabase } from "./adapters.js";
import { DatabaseError } from "./database-error.js";
import type { Database, Queryable } from "./database.js";
import { readMigrationFiles, type MigrationFile } from "./migrations-files.js";
import { quoteSchema, DEFAULT_SCHEMA } from "./schema.js";

/**
 * Options of {@link migrate}.
 *
 * @example
 * ```ts
 * await migrate(db, { schema: "webhook_kit" });
 * ```
 */
export interface MigrateOptions {
  /** The schema that holds the kit's tables. Default `webhook_kit`. */
  schema?: string;
  /** Where the `NNNN_name.sql` files are (absolute path or `file:` URL). Default: the package's own `migrations/`. */
  directory?: string | URL;
  /** The migrations themselves, for a runtime with no file access (a bundled function). Default: read from `directory`. */
  files?: readonly MigrationFile[];
}

/**
 * What {@link migrate} did.
 *
 * @example
 * ```ts
 * const { applied } = await migrate(db);
 * if (applied.length > 0) console.info("applied", applied.join(", "));
 * ```
 */
export interface MigrateResult {
  /** The migrations applied by this call, in order (empty when the schema was already current). */
  applied: string[];
  /** Every migration now recorded in the schema's `migrations` table. */
  current: string[];
}

// Postgres error codes: insufficient_privilege.
const PERMISSION_DENIED = "42501";

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function permissionHelp(error: unknown, who: { user: string; database: string }, schema: string, step: string): DatabaseError {
  const server = error instanceof Error ? error.message : String(error);
  return new DatabaseError(
    "MIGRATION_PERMISSION_DENIED",
    `migrate() could not ${step}: the server said "${server}" (SQLSTATE ${PERMISSION_DENIED}). ` +
      `Grant the role it: as the database owner run \`GRANT CREATE ON DATABASE "${who.database}" TO "${who.user}";\` ` +
      `or create the schema yourself and \`GRANT USAGE, CREATE ON SCHEMA ${schema} TO "${who.user}";\`. ` +
      "Or apply the package's migrations/*.sql with psql or `supabase migration` as the owner.",
    { cause: error },
  );
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function execScript(tx: Queryable, script: string): Promise<void> {
  if (typeof tx.exec !== "function") {
    throw new DatabaseError(
      "INVALID_DATABASE",
      "migrate() needs a Database whose transactions can run scripts (exec): use fromPg, fromPostgresJs or fromPGlite.",
    );
  }
  await tx.exec(script);
}

/**
 * Creates or upgrades the kit's tables: applies the package's `migrations/*.sql` (the same files
 * you can apply with psql or `supabase migration`) in file-name order, each once, recorded in
 * `<schema>.migrations`. Idempotent, and safe when several processes migrate at once (a
 * transaction-scoped advisory lock serialises them; all or nothing).
 *
 * @example
 * ```ts
 * import pg from "pg";
 * import { fromPg, migrate } from "@dttracker-dobbletap/sdk/postgres";
 *
 * const db = fromPg(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * const { applied } = await migrate(db); // ["0001_outbox", …] the first time, [] after
 * ```
 */
export async function migrate(db: Database, options: MigrateOptions = {}): Promise<MigrateResult> {
  const database = asDatabase(db, "migrate(db)");
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const quoted = quoteSchema(schema);
  const files = options.files ?? (await readMigrationFiles(options.directory));
  const prepared = await Promise.all(
    [...files]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      // The files name the schema webhook_kit; another schema is substituted for it.
      .map(async (file) => ({
        name: file.name,
        sql: schema === DEFAULT_SCHEMA ? file.sql : file.sql.replace(/\bwebhook_kit\b/g, quoted),
        checksum: await sha256(file.sql),
      })),
  );
  const who = (await database.query<{ user: string; database: string }>("SELECT current_user AS user, current_database() AS database")).rows[0] ?? {
    user: "your role",
    database: "your database",
  };

  return database.transaction(async (tx) => {
    // Two processes migrating at once: the second waits here, then finds everything applied.
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`@dttracker-dobbletap/sdk migrate ${schema}`]);
    try {
      await tx.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    } catch (error) {
      if (sqlState(error) === PERMISSION_DENIED) throw permissionHelp(error, who, quoted, `create the schema ${quoted}`);
      throw error;
    }
    try {
      await tx.query(
        `CREATE TABLE IF NOT EXISTS ${quoted}.migrations (name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
    } catch (error) {
      if (sqlState(error) === PERMISSION_DENIED) throw permissionHelp(error, who, quoted, `create tables in the schema ${quoted}`);
      throw error;
    }
    const done = new Set((await tx.query<{ name: string }>(`SELECT name FROM ${quoted}.migrations`)).rows.map((row) => row.name));
    const applied: string[] = [];
    for (const file of prepared) {
      if (done.has(file.name)) continue;
      try {
        await execScript(tx, file.sql);
      } catch (error) {
        if (sqlState(error) === PERMISSION_DENIED) throw permissionHelp(error, who, quoted, `apply ${file.name}.sql`);
        throw new DatabaseError(
          "MIGRATION_FAILED",
          `migrate() could not apply ${file.name}.sql: ${error instanceof Error ? error.message : String(error)}. Nothing was changed (the migration runs in one transaction).`,
          { cause: error },
        );
      }
      await tx.query(`INSERT INTO ${quoted}.migrations (name, checksum) VALUES ($1, $2)`, [file.name, file.checksum]);
      applied.push(file.name);
    }
    return { applied, current: [...done, ...applied].sort() };
  });
}
