/**
 * Test support (not part of the package's surface, never imported by it): the three drivers behind
 * `Database`, each on a fresh database: PGlite in memory, and `pg` and `postgres` on the real
 * server that the root vitest globalSetup started (a test file gets its own database on it).
 */
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import postgres from "postgres";
import { createTestDatabase } from "../../../../test/support/postgres.js";
import { fromPGlite, fromPg, fromPostgresJs } from "../../src/postgres/adapters.js";
import type { Database } from "../../src/postgres/database.js";

export type DriverName = Database["driver"];
export const drivers: DriverName[] = ["pglite", "pg", "postgres"];

export interface TestDb {
  db: Database;
  /** The server URL (undefined for PGlite). */
  url?: string;
  close(): Promise<void>;
}

/** A fresh, empty database behind the given driver. */
export async function openTestDb(driver: DriverName, options: { url?: string; poolSize?: number } = {}): Promise<TestDb> {
  if (driver === "pglite") {
    const lite = await PGlite.create();
    return { db: fromPGlite(lite), close: () => lite.close() };
  }
  const created = options.url ? undefined : await createTestDatabase(driver === "pg" ? "pg" : "pjs");
  const url = options.url ?? created!.url;
  if (driver === "pg") {
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
    return {
      db: fromPg(pool),
      url,
      async close() {
        await pool.end();
        await created?.drop();
      },
    };
  }
  const sql = postgres(url, { max: options.poolSize ?? 10, onnotice: () => undefined });
  return {
    db: fromPostgresJs(sql),
    url,
    async close() {
      await sql.end({ timeout: 5 });
      await created?.drop();
    },
  };
}
