/**
 * `pnpm bench`: builds the packages (the root script does), measures every figure of issues 17 and
 * 11 next to its reference, prints one table with each target and PASS/MISS, and writes
 * bench/RESULTS.md (a generated file) and the README's benchmark table (between its markers).
 *
 * Usage:
 *   pnpm bench                          everything (< 3 min on 2 cores), writes RESULTS.md + README
 *   tsx bench/index.ts receiver sender  some groups against an existing build (printed only)
 *   tsx bench/index.ts --check          the README's table is the one in RESULTS.md (no measuring; CI)
 * Groups: bundle, receiver, http, sender, growth, startup, inbox, outbox.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { measureBundleSize } from "./bundle-size.js";
import { measureInbox } from "./inbox.js";
import { describeMachine, loadAverage } from "./lib/machine.js";
import { importDist, repoRoot, sdkDist } from "./lib/paths.js";
import { checkReadme, updateReadmeFrom, withMarkers } from "./lib/readme-table.js";
import { renderTable } from "./lib/table.js";
import type { Measurement } from "./lib/types.js";
import { measureMockGrowth } from "./mock-growth.js";
import { measureHttp } from "./mock-server.js";
import { measureOutbox } from "./outbox.js";
import { measureReceiver } from "./receiver.js";
import { measureSender } from "./sender.js";
import { measureStartup } from "./startup.js";

type Sdk = typeof import("../packages/sdk/src/index.js");

const groups = ["bundle", "receiver", "http", "sender", "growth", "startup", "inbox", "outbox"] as const;
type Group = (typeof groups)[number];

/** Issue 17: the whole run in under 3 minutes. */
const BUDGET_SECONDS = 180;
const resultsPath = join(repoRoot, "bench/RESULTS.md");
const readmePath = join(repoRoot, "README.md");

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes("--check")) {
    const problem = checkReadme(readFileSync(resultsPath, "utf8"), readFileSync(readmePath, "utf8"));
    if (problem) {
      console.error(`bench --check: ${problem}`);
      process.exitCode = 1;
    } else console.log("bench --check: README's benchmark table matches bench/RESULTS.md.");
    return;
  }
  const unknown = argv.filter((name) => !groups.includes(name as Group));
  if (unknown.length > 0) throw new Error(`Unknown group(s) ${unknown.join(", ")}; choose from ${groups.join(", ")} (or --check).`);
  const selected = new Set<Group>(argv.length > 0 ? (argv as Group[]) : groups);

  const { generateSecret } = await importDist<Sdk>(sdkDist);
  // Made for this run only; never printed.
  const secret = generateSecret();
  const started = performance.now();
  const loadBefore = loadAverage();
  // Budgeted for < 3 minutes in all on 2 cores (the build not counted).
  const steps: Array<[Group, () => Promise<Measurement>]> = [
    // Bundling first: it does not depend on timing, and the timed groups then run back to back.
    ["bundle", () => measureBundleSize()],
    ["receiver", () => measureReceiver({ rounds: 7, timeMs: 150, growthRounds: 5, growthTimeMs: 100 })],
    ["http", () => measureHttp({ rounds: 3, seconds: 1.5, connections: 10, secret })],
    ["sender", () => measureSender({ rounds: 7, callsPerRound: 250 })],
    ["growth", () => measureMockGrowth({ sizes: [1_000, 10_000, 100_000, 1_000_000] })],
    ["startup", () => measureStartup({ runs: 5, secret })],
    ["inbox", () => measureInbox({ rounds: 3, seconds: 1.5, secret })],
    ["outbox", () => measureOutbox({ events: 1_000 })],
  ];
  const results: Measurement[] = [];
  const timings: string[] = [];
  for (const [group, measure] of steps) {
    if (!selected.has(group)) continue;
    const groupStarted = performance.now();
    process.stdout.write(`bench: ${group}… `);
    try {
      results.push(await measure());
    } catch (error) {
      // One broken group (an API it uses changed) must not lose the others' figures: it shows as a miss.
      const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
      results.push({
        rows: [{ group, name: "the group's measurement", value: "failed", ratio: message, target: "runs", pass: false }],
        notes: [`${group}: failed with ${message}`],
      });
      console.error(error);
      process.exitCode = 1;
    }
    const seconds = ((performance.now() - groupStarted) / 1000).toFixed(1);
    timings.push(`${group} ${seconds} s`);
    process.stdout.write(`${seconds} s\n`);
  }
  const seconds = (performance.now() - started) / 1000;

  const rows = results.flatMap((result) => result.rows);
  const table = renderTable(rows);
  console.log(`\n${table}\n`);
  const missed = rows.filter((row) => row.pass === false).map((row) => `${row.group}: ${row.name}`);
  const targets = rows.filter((row) => row.pass !== undefined).length;
  console.log(
    missed.length === 0
      ? `All ${targets} targets met.`
      : `${targets - missed.length} of ${targets} targets met. Missed: ${missed.join("; ")}. See bench/RESULTS.md for what limits each.`,
  );
  console.log(
    `Measuring took ${seconds.toFixed(0)} s (${timings.join(", ")})${seconds > BUDGET_SECONDS ? `: over the ${BUDGET_SECONDS} s budget (see the load average: other processes slow every wall-clock step)` : ""}.`,
  );
  if (selected.size < groups.length) {
    console.log("Partial run: bench/RESULTS.md and the README are only written by a full run.");
    return;
  }

  const header = [
    "# Benchmark results",
    "",
    "<!-- THIS FILE IS GENERATED by `pnpm bench` (bench/index.ts): do not edit it; the closing analysis comes from bench/analysis.md, the README's table from the table below (`tsx bench/index.ts --check`). -->",
    "",
    ...describeMachine().map((line) => `- ${line}`),
    `- Date: ${new Date().toISOString()}`,
    `- Load average (1 min) before / after: ${loadBefore} / ${loadAverage()} — above the core count means other processes competed for the CPUs during the run`,
    `- Measuring took ${seconds.toFixed(0)} s (${timings.join(", ")}), plus the build; ${targets - missed.length} of ${targets} targets met`,
    "",
  ];
  const method = [
    "## Method",
    "",
    "- One process drives everything, group by group; within a group every variant is measured in the same interleaved rounds (the order alternates), and each ratio is taken inside a round, then the median and the interquartile range (IQR) over rounds are given.",
    "- In-process figures are timed on a CPU-time clock (process.cpuUsage: user + system of all threads, GC included), so another process's load on the shared cores does not count as our time; ops/s means per CPU-second.",
    "- Server figures are the server's own CPU time per request (/proc/<pid>/stat), with the server and the load generator pinned to separate cores with taskset; requests per second and latencies are wall-clock and depend on the load generator too.",
    "- The code measured is the built packages (`dist`, what users install): `pnpm bench` builds first.",
    "",
  ];
  const notes = results.flatMap((result) => result.notes).map((note) => `- ${note}`);
  const analysis = readFileSync(join(repoRoot, "bench/analysis.md"), "utf8");
  const document = [...header, withMarkers(table), "", ...method, "## How each figure is measured", "", ...notes, "", analysis.trim(), ""].join("\n");
  writeFileSync(resultsPath, document);
  writeFileSync(readmePath, updateReadmeFrom(readFileSync(readmePath, "utf8"), document));
  console.log("Wrote bench/RESULTS.md and the README's benchmark table.");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
