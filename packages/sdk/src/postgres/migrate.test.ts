/**
 * migrate(db) and the three adapters, on PGlite and on the real server through `pg` and `postgres`:
 * the package's .sql files are applied once, in order, recorded; twice is a no-op; two at once do
 * not collide; a role without CREATE gets the server's message and the GRANT to run.
 */
import pg from "pg";
import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/postgres.js";
import { fromPGlite, fromPg, fromPostgresJs } from "./adapters.js";
import { isDatabaseError } from "./database-error.js";
import { migrate } from "./migrate.js";
import { readMigrationFiles } from "./migrations-files.js";
import { drivers, openTestDb, type TestDb } from "../../test/support/postgres-databases.js";

const opened: TestDb[] = [];
afterAll(async () => {
  await Promise.all(opened.map((t) => t.close()));
});
async function open(driver: (typeof drivers)[number]): Promise<TestDb> {
  const t = await openTestDb(driver);
  opened.push(t);
  return t;
}

describe("readMigrationFiles()", () => {
  it("readMigrationFiles() finds the package's migrations/*.sql from src, in file-name order", async () => {
    const files = await readMigrationFiles();
    expect(files[0]?.name).toBe("0001_outbox");
    expect(files.map((f) => f.name)).toEqual([...files.map((f) => f.name)].sort());
    expect(files[0]?.sql).toMatch(/CREATE TABLE IF NOT EXISTS webhook_kit\.outbox/);
  });

  it("readMigrationFiles(directory) with a relative path is refused with what to pass", async () => {
    await expect(readMigrationFiles("migrations")).rejects.toThrow(/absolute path or a file: URL/);
  });
});

describe.each(drivers)("migrate(db) on %s", (driver) => {
  it("migrate(db) applies every file once and records it; a second call applies nothing", async () => {
    const { db } = await open(driver);
    const names = (await readMigrationFiles()).map((f) => f.name);
    const first = await migrate(db);
    expect(first.applied).toEqual(names);
    const second = await migrate(db);
    expect(second).toEqual({ applied: [], current: names });
    const recorded = await db.query<{ name: string }>("SELECT name FROM webhook_kit.migrations ORDER BY name");
    expect(recorded.rows.map((r) => r.name)).toEqual(names);
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'webhook_kit' ORDER BY table_name",
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(["migrations", "outbox", "outbox_attempts"]));
  });

  it("migrate(db, { schema }) puts the tables in that schema", async () => {
    const { db } = await open(driver);
    await migrate(db, { schema: "kit_custom" });
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM kit_custom.outbox");
    expect(rows[0]?.n).toBe(0);
    const other = await db.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'webhook_kit'");
    expect(other.rowCount).toBe(0);
  });

  it("migrate(db) that fails in a file changes nothing and names the file", async () => {
    const { db } = await open(driver);
    const files = [
      { name: "0001_ok", sql: "CREATE TABLE webhook_kit.ok (id int);" },
      { name: "0002_broken", sql: "CREATE TABLE webhook_kit.broken (id int); SELECT * FROM webhook_kit.missing_table;" },
    ];
    const error = await migrate(db, { files }).catch((e: unknown) => e);
    expect(isDatabaseError(error) && error.code).toBe("MIGRATION_FAILED");
    expect((error as Error).message).toMatch(/0002_broken\.sql.*missing_table.*Nothing was changed/s);
    const left = await db.query("SELECT 1 FROM information_schema.schemata WHERE schema_name = 'webhook_kit'");
    expect(left.rowCount).toBe(0);
  });

  it("db.transaction(fn) commits when fn resolves and rolls back when it throws", async () => {
    const { db } = await open(driver);
    await db.query("CREATE TABLE t (n int)");
    await db.transaction(async (tx) => {
      await tx.query("INSERT INTO t VALUES ($1)", [1]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t VALUES ($1)", [2]);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const { rows, rowCount } = await db.query<{ n: number }>("SELECT n FROM t");
    expect(rows).toEqual([{ n: 1 }]);
    expect(rowCount).toBe(1);
    expect((await db.query("UPDATE t SET n = n + 1")).rowCount).toBe(1);
  });
});

describe("migrate(db) on the real server", () => {
  it("two processes migrating at once: both succeed, each file applied once (advisory lock)", async () => {
    const database = await createTestDatabase("mig");
    const pools = [new pg.Pool({ connectionString: database.url }), new pg.Pool({ connectionString: database.url })];
    const sql = postgres(database.url, { onnotice: () => undefined });
    try {
      const results = await Promise.all([migrate(fromPg(pools[0]!)), migrate(fromPg(pools[1]!)), migrate(fromPostgresJs(sql))]);
      const names = (await readMigrationFiles()).map((f) => f.name);
      expect(results.flatMap((r) => r.applied).sort()).toEqual(names);
      expect(results.every((r) => JSON.stringify(r.current) === JSON.stringify(names))).toBe(true);
    } finally {
      await Promise.all([...pools.map((p) => p.end()), sql.end({ timeout: 5 })]);
      await database.drop();
    }
  });

  it("migrate(db) as a role without CREATE gives the server's message and the GRANT to run", async () => {
    const database = await createTestDatabase("perm");
    const role = `kit_ro_${Math.random().toString(36).slice(2, 10)}`;
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    await admin.query(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
    const url = new URL(database.url);
    url.username = role;
    const pool = new pg.Pool({ connectionString: url.toString() });
    try {
      const error = await migrate(fromPg(pool)).catch((e: unknown) => e);
      expect(isDatabaseError(error) && error.code).toBe("MIGRATION_PERMISSION_DENIED");
      const message = (error as Error).message;
      expect(message).toMatch(/permission denied for database/);
      expect(message).toContain(`GRANT CREATE ON DATABASE "${url.pathname.slice(1)}" TO "${role}"`);
    } finally {
      await pool.end();
      await admin.query(`DROP OWNED BY ${role}`).catch(() => undefined);
      await admin.end();
      await database.drop();
      const cleanup = new pg.Client({ connectionString: database.url.replace(/\/[^/]+$/, "/postgres") });
      await cleanup.connect();
      await cleanup.query(`DROP ROLE IF EXISTS ${role}`);
      await cleanup.end();
    }
  });
});

describe("the adapters refuse what they do not know", () => {
  it("fromPg / fromPostgresJs / fromPGlite of something else name the three adapters", () => {
    for (const make of [() => fromPg({} as never), () => fromPostgresJs({} as never), () => fromPGlite(null as never)]) {
      let error: unknown;
      try {
        make();
      } catch (e) {
        error = e;
      }
      expect(isDatabaseError(error) && error.code).toBe("INVALID_DATABASE");
      expect((error as Error).message).toMatch(/fromPg\(pool or client\).*fromPostgresJs\(sql\).*fromPGlite\(db\)/);
    }
  });

  it("migrate(a raw pool) is refused with the three adapters named", async () => {
    const pool = new pg.Pool({ connectionString: "postgres://nobody@127.0.0.1:1/none" });
    await expect(migrate(pool as never)).rejects.toThrow(/needs a Database made by an adapter.*fromPg.*fromPostgresJs.*fromPGlite/);
    await pool.end();
  });

  it("fromPg(pg.Client) serialises transactions on its one connection", async () => {
    const database = await createTestDatabase("cli");
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const db = fromPg(client);
      await db.query("CREATE TABLE c (n int)");
      await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          db
            .transaction(async (tx) => {
              await tx.query("INSERT INTO c VALUES ($1)", [i]);
              if (i === 2) throw new Error("only this one rolls back");
            })
            .catch(() => undefined),
        ),
      );
      const { rows } = await db.query<{ n: number }>("SELECT n FROM c ORDER BY n");
      expect(rows.map((r) => r.n)).toEqual([0, 1, 3, 4]);
    } finally {
      await client.end();
      await database.drop();
    }
  });
});
