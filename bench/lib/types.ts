/** One line of the results table. */
export interface Row {
  /** Which measurement group it belongs to (receiver, sender, mock server, start-up, bundle). */
  group: string;
  name: string;
  /** The figure as shown, with its unit (e.g. "193,412 ops/s", "12.3 KB"). */
  value: string;
  /** The ratio or comparison the target is about, as shown (e.g. "0.86× raw floor"). */
  ratio?: string;
  /** The target, as shown (e.g. "≥ 0.8×"). */
  target?: string;
  /** Whether the target is met; absent for reference rows. */
  pass?: boolean;
}

/** What each measurement module returns: its rows, and notes (what limits it, how it was measured). */
export interface Measurement {
  rows: Row[];
  notes: string[];
}
