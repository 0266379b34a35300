/**
 * Growth of the mock's rules with its state (issue 17: every rule O(1) or O(what it touches) in
 * the size of the state): the rules timed at 1k, 10k, 100k and 1M offers (creators one per ten) in a
 * child process (bench/servers/mock-growth.mjs), on its CPU clock. Target: each rule at the largest
 * state costs at most 10× what it costs at the smallest, for a state 1,000× larger: a scan of the
 * state grows ~1,000×, a hash lookup stays within a few × (cache misses and GC in a heap of over a
 * gigabyte).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./lib/paths.js";
import { formatInt, formatMicros } from "./lib/table.js";
import type { Measurement, Row } from "./lib/types.js";

interface Step {
  offers: number;
  kept: number | null;
  creators: number;
  heapMb: number;
  rules: Record<string, number>;
}

const GROWTH_LIMIT = 10;

function runChild(sizes: number[]): Promise<Step[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--max-old-space-size=8192", join(repoRoot, "bench/servers/mock-growth.mjs"), ...sizes.map(String)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`bench/servers/mock-growth.mjs exited with ${code}:\n${stderr}`));
      resolve((JSON.parse(stdout) as { sizes: Step[] }).sizes);
    });
  });
}

const short = (count: number) => (count >= 1e6 ? `${count / 1e6}M` : count >= 1e3 ? `${Math.round(count / 1e3)}k` : String(count));

export async function measureMockGrowth(options: { sizes: number[] }): Promise<Measurement> {
  const steps = await runChild(options.sizes);
  const first = steps[0]!;
  const last = steps[steps.length - 1]!;
  const group = "growth: mock state (CPU time per rule)";
  const rows: Row[] = Object.keys(first.rules).map((rule) => {
    const growth = last.rules[rule]! / first.rules[rule]!;
    return {
      group,
      name: rule,
      value: `${formatMicros(last.rules[rule]!)} at ${short(options.sizes[options.sizes.length - 1]!)}`,
      ratio: `${steps.map((step, index) => `${short(options.sizes[index]!)}: ${formatMicros(step.rules[rule]!)}`).join(", ")}; ${growth.toFixed(1)}×`,
      target: `≤ ${GROWTH_LIMIT}× its ${short(options.sizes[0]!)} cost`,
      pass: growth <= GROWTH_LIMIT,
    };
  });
  const keptNote = last.kept === null ? "the state does not expose an offer count" : `${formatInt(last.kept)} of ${formatInt(last.offers)} offers kept`;
  rows.push({
    group,
    name: `heap at ${short(options.sizes[options.sizes.length - 1]!)} offers put`,
    value: `${formatInt(last.heapMb)} MB`,
    ratio: `${keptNote}; ${((last.heapMb * 2 ** 20) / last.offers / 1024).toFixed(2)} KB per offer put`,
  });
  return {
    rows,
    notes: [
      `Mock state growth: MockState from the built package in a child process, without a bound on its offers (the server keeps at most its default cap, so a state of 1M is only reached this way); ${first.creators <= 100 ? "100 campaigns" : ""}, offers grown with offer_sent through state.apply (the rules the server runs, without HTTP), one creator per ten offers put with putCreator; ` +
        "at each size each rule is timed on the child's CPU clock (median of 9–11 samples of ≥ 2 ms CPU each): offer_sent of a new offer, activation_cancelled of one creator with nothing to cancel, creators_synced of one known creator. " +
        "GET /__mock/state's cost at size is not measured here.",
    ],
  };
}
