/**
 * Durable delivery on Postgres (contract v1.1): the kit's migrations, driver adapters, the
 * transactional outbox and its dispatcher. Runtime-neutral (Node ≥ 22 and Deno); the drivers
 * (`pg`, `postgres`, `@electric-sql/pglite`) are optional peer dependencies: install the one you use.
 *
 * @packageDocumentation
 */
export {
  asDatabase,
  fromPGlite,
  fromPg,
  fromPostgresJs,
  isDatabase,
  type PGliteLike,
  type PgClientLike,
  type PgPoolLike,
  type PostgresJsLike,
  type PostgresJsTransactionLike,
} from "./adapters.js";
export { DatabaseError, isDatabaseError, type DatabaseErrorCode } from "./database-error.js";
export type { Database, Queryable, Row } from "./database.js";
export { migrate, type MigrateOptions, type MigrateResult } from "./migrate.js";
export { readMigrationFiles, type MigrationFile } from "./migrations-files.js";
export { DEFAULT_SCHEMA } from "./schema.js";
export {
  createOutbox,
  type EnqueueOptions,
  type EnqueueResult,
  type Outbox,
  type OutboxAttempt,
  type OutboxEventStatus,
  type OutboxEventSummary,
  type OutboxOptions,
  type OutboxState,
} from "./outbox.js";
export {
  createDispatcher,
  type Dispatcher,
  type DispatcherHooks,
  type DispatcherOptions,
  type DispatcherWorker,
  type RunOnceOptions,
  type RunReport,
} from "./dispatcher.js";
export { nextDelayMs, retrySchedule } from "./schedule.js";
export { postgresDedupStore, type PostgresDedupStore, type PostgresDedupStoreOptions } from "./dedup-store.js";
