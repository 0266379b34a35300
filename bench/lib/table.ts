/** Formatting of figures and of the one results table (printed, and written to RESULTS.md). */
import type { Row } from "./types.js";

export const formatInt = (value: number) => Math.round(value).toLocaleString("en-US");
export const formatRatio = (value: number) => `${value.toFixed(2)}×`;
export const formatMs = (value: number) => (value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`);
export const formatKb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function verdict(row: Row): string {
  if (row.pass === undefined) return "";
  return row.pass ? "PASS" : "MISS";
}

/** A Markdown table; readable as plain text too. */
export function renderTable(rows: Row[]): string {
  const header = ["group", "measurement", "value", "ratio", "target", ""];
  const lines = rows.map((row) => [row.group, row.name, row.value, row.ratio ?? "", row.target ?? "", verdict(row)]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...lines.map((line) => line[column]!.length)));
  const format = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(" | ")} |`;
  return [format(header), `|${widths.map((width) => "-".repeat(width + 2)).join("|")}|`, ...lines.map(format)].join("\n");
}

/** A ratio with its interquartile range over rounds: `0.45× (IQR 0.43–0.47)`. */
export const formatRatioSpread = (spread: { median: number; q1: number; q3: number }) =>
  `${formatRatio(spread.median)} (IQR ${spread.q1.toFixed(2)}–${spread.q3.toFixed(2)})`;
export const formatMicros = (micros: number) => `${micros < 10 ? micros.toFixed(2) : micros < 100 ? micros.toFixed(1) : Math.round(micros)} µs`;
