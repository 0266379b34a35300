// Per-test-file databases on the real server started by postgres-global-setup.ts.
import { randomUUID } from "node:crypto";
import pg from "pg";

/** The admin URL of the test server; throws (the test fails) when no server was started. */
export function testServerUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    throw new Error(
      "TEST_DATABASE_URL is not set: the PostgreSQL test server did not start (see test/support/postgres-global-setup.ts).",
    );
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
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
