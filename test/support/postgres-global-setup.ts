// vitest globalSetup: one real PostgreSQL server for the whole run, unless TEST_DATABASE_URL names
// one already. Test files create their own database on it with `createTestDatabase()`.
import type { TestProject } from "vitest/node";
import { startPostgresServer } from "./postgres-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide("databaseUrl", given);
    return async () => {};
  }
  const server = await startPostgresServer();
  process.env.TEST_DATABASE_URL = server.url;
  project.provide("databaseUrl", server.url);
  return () => server.stop();
}
