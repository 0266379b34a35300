/**
 * `dttracker-dobbletap-verify compat --from <old>`: which deployed side each change between a
 * previous contract and this package's breaks. Exit 0 when nothing breaks, 1 when something does,
 * 2 for bad usage or an unreadable `--from`.
 */
import { parseArgs } from "node:util";
import { contractVersion } from "../version.js";
import { checkCompat, type Breaking, type CompatReport } from "./check.js";
import { CompatUsageError, dereferenceSides, loadSides, locateOld } from "./load.js";
import { currentSides } from "./sides.js";

/** The subcommand's help text. */
export const compatUsage = `Usage: dttracker-dobbletap-verify compat --from OLD [--json]

  --from   the previous contract: a published version of @dttracker-dobbletap/contracts (1.0.0),
           a .tgz of the package, or a directory holding a previous openapi/
  --json   print the report as JSON (for CI)

Exit 0 when no deployed side breaks, 1 when something does, 2 for bad usage.`;

/** Long arrays are shortened for reading; `--json` prints every counterexample whole. */
function shorten(value: unknown): unknown {
  if (Array.isArray(value)) {
    const shown = value.slice(0, 2).map(shorten);
    return value.length > 3 ? [...shown, `… ${value.length - 2} more (${value.length} items in all)`] : value.map(shorten);
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shorten(inner)]));
  }
  return value;
}

function describe(change: Breaking): string {
  const subject = change.event === "*" ? "every endpoint" : change.event;
  return [
    `${subject} · ${change.message} · ${change.direction} — breaks ${change.breaks}; ship ${change.shipFirst} first`,
    `  at ${change.path || "(root)"}: ${change.rule}`,
    `  counterexample: ${JSON.stringify(shorten(change.counterexample))}`,
  ].join("\n");
}

/** Human-readable report. */
export function formatReport(report: CompatReport, from: string): string {
  if (report.breaking.length === 0) {
    return `✔ contract ${report.to} is compatible with ${report.from} (${from}) in every direction.`;
  }
  const order = new Set(report.breaking.map((change) => change.shipFirst));
  const advice =
    order.size === 1 ? `Deploy order: ${[...order][0]} first.` : "Deploy order: some changes need receivers first and others senders first: split the release.";
  return [
    `✘ ${report.breaking.length} breaking change(s) from contract ${report.from} (${from}) to ${report.to}:`,
    "",
    ...report.breaking.map(describe),
    "",
    advice,
  ].join("\n");
}

/**
 * Runs the subcommand with its arguments (after `compat`) and resolves to its exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCompat(["--from", "1.0.0", "--json"]);
 * ```
 */
export async function runCompat(args: string[], out: (text: string) => void = console.log, err: (text: string) => void = console.error): Promise<number> {
  let values: { from?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args, options: { from: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } } }));
  } catch (error) {
    err(`${(error as Error).message}\n\n${compatUsage}`);
    return 2;
  }
  if (values.help) {
    out(compatUsage);
    return 0;
  }
  if (!values.from) {
    err(`--from is required.\n\n${compatUsage}`);
    return 2;
  }
  let located: ReturnType<typeof locateOld> | undefined;
  try {
    located = locateOld(values.from);
    const old = await loadSides(located.dir);
    const report = checkCompat(old, await dereferenceSides(currentSides(contractVersion)));
    out(values.json ? JSON.stringify({ ...report, compatible: report.breaking.length === 0 }, null, 2) : formatReport(report, values.from));
    return report.breaking.length === 0 ? 0 : 1;
  } catch (error) {
    if (!(error instanceof CompatUsageError)) throw error;
    err(`${error.message}\n\n${compatUsage}`);
    return 2;
  } finally {
    located?.cleanup();
  }
}
