import { DatabaseError } from "./database-error.js";

/** The schema of the kit's tables unless told otherwise. */
export const DEFAULT_SCHEMA = "webhook_kit";

/** `name` as a quoted SQL identifier, after checking it is a plain lower-case name. */
export function quoteSchema(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new DatabaseError(
      "INVALID_DATABASE",
      `The schema name "${name}" is not allowed: use lower-case letters, digits and underscores (at most 63, not starting with a digit), e.g. "webhook_kit".`,
    );
  }
  return `"${name}"`;
}
