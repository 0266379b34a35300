/**
 * The fault soak's long form: `SOAK_N=5000 tsx bench/soak.ts` (default N = 2000). Same phases and
 * checks as the test suite's short form (packages/mock-server/test/soak/run-soak.ts), with progress
 * and a summary; exits 1 on any violation. Loopback only; bounded by N.
 * Runs the workspace packages from source when started with
 * `tsx --conditions=@dttracker-dobbletap/source bench/soak.ts`, else from their dist (after `pnpm build`).
 */
import { runSoak } from "../packages/mock-server/test/soak/run-soak.js";

const n = Number(process.env.SOAK_N ?? 2000);
if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new Error(`SOAK_N must be a whole number from 1 to 1000000, not ${process.env.SOAK_N}`);

console.log(`fault soak: ${n} events, ~30% injected failures (5xx, 429 + Retry-After, dropped connections, latency)`);
const report = await runSoak({ n, log: (line) => console.log(line) });
const { violations, statuses, ...figures } = report;
console.log(`answers by status (0 = none): ${JSON.stringify(statuses)}`);
for (const [name, value] of Object.entries(figures)) console.log(`  ${name}: ${typeof value === "number" ? Math.round(value) : value}`);
if (violations.length > 0) {
  console.error(`${violations.length} violation(s):`);
  for (const violation of violations.slice(0, 50)) console.error(`  ${violation}`);
  process.exitCode = 1;
} else {
  console.log("every event stored exactly once; every syncStatus told the truth");
}
