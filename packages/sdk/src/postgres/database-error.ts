import { guardFor, WebhookKitError } from "../errors/webhook-kit-error.js";

/** What went wrong setting up or migrating the kit's tables. */
export type DatabaseErrorCode = "INVALID_DATABASE" | "MIGRATION_PERMISSION_DENIED" | "MIGRATION_FAILED" | "MIGRATIONS_NOT_FOUND";

/**
 * A problem with the database handed to the kit: not one of the three adapters, missing
 * permissions for `migrate`, a migration the server refused. The message says what to do.
 *
 * @example
 * ```ts
 * try {
 *   await migrate(db);
 * } catch (error) {
 *   if (isDatabaseError(error) && error.code === "MIGRATION_PERMISSION_DENIED") console.error(error.message);
 * }
 * ```
 */
export class DatabaseError extends WebhookKitError {
  declare readonly code: DatabaseErrorCode;

  constructor(code: DatabaseErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "DatabaseError";
  }
}

/**
 * True for a {@link DatabaseError}.
 *
 * @example
 * ```ts
 * if (isDatabaseError(error)) console.error(error.code, error.message);
 * ```
 */
export const isDatabaseError = guardFor<DatabaseError>("DatabaseError");
