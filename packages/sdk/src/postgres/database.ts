/**
 * The one small interface the kit's Postgres code talks to. `fromPg`, `fromPostgresJs` and
 * `fromPGlite` build it from a driver; nothing in `@dttracker-dobbletap/sdk/postgres` imports a driver.
 */

/** One row of a result: column name → value, as the driver decoded it. */
export type Row = Record<string, unknown>;

/**
 * Something that runs one parameterised statement (`$1`, `$2`, …): a database or an open transaction.
 *
 * @example
 * ```ts
 * const { rows } = await tx.query<{ balance: number }>("select balance from brands where id = $1", [brandId]);
 * ```
 */
export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number }>;
  /**
   * Runs a script of several statements with no parameters (a migration file). Every adapter provides
   * it; it is optional so that a hand-made `Queryable` (a test double) need not.
   */
  exec?(script: string): Promise<void>;
}

/**
 * A database the kit can use: statements, and transactions that commit when `fn` resolves and roll
 * back when it throws. Made by `fromPg`, `fromPostgresJs` or `fromPGlite`.
 *
 * @example
 * ```ts
 * const db = fromPg(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await db.transaction(async (tx) => {
 *   await tx.query("update brands set balance_minor = balance_minor - $1 where id = $2", [7_500_000, brandId]);
 * });
 * ```
 */
export interface Database extends Queryable {
  /** Which driver is underneath. */
  readonly driver: "pg" | "postgres" | "pglite";
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
}
