/** A timestamptz column as ISO-8601 UTC text with milliseconds: the same string from every driver. */
export function isoOf(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** A clock reading (ms) as a timestamptz parameter. */
export function at(ms: number): string {
  return new Date(ms).toISOString();
}
