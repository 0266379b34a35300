// Per-test-file databases on the real server started by postgres-global-setup.ts.
import { randomUUID } from "node:crypto";
import pg from "pg";

/** The admin URL of the test server; throws (the test fails) when no server was started. */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error("TEST_DATABASE_URL is not set: the PostgreSQL test server did not start (see test/support/postgres-global-setup.ts).");
  }
  return url;
}

/** Creates an empty database with a unique name and returns its URL. Dropped by `drop()`. */
export async function createTestDatabase(prefix = "t"): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = testServerUrl();
  const name = `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        // A pool's end() resolves before its sockets have said goodbye; FORCE would then kill those
        // backends and the client would emit an unhandled FATAL. Give them a bounded moment to leave.
        for (let tries = 0; tries < 100; tries++) {
          const { rows } = await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1", [name]);
          if (rows[0].n === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
