// The README's benchmark table is derived from bench/RESULTS.md: only the rows with a target, the
// run's date, and a check that fails on a hand edit or a RESULTS.md committed without its README.
import { describe, expect, it } from "vitest";
import { renderTable } from "./table.js";
import { checkReadme, README_MARKERS, readmeBlock, updateReadmeFrom, withMarkers } from "./readme-table.js";

const results = [
  "# Benchmark results",
  "",
  "- CPU: AMD EPYC, 2 cores (logical), 23.5 GiB RAM",
  "- Date: 2026-12-02T18:00:00.000Z",
  "- Load average (1 min) before / after: 9.20 / 10.04 — above the core count means other processes competed",
  "",
  withMarkers(
    renderTable([
      { group: "receiver", name: "raw floor", value: "198,280 ops/s" },
      { group: "receiver", name: "receive() vs floor", value: "54,954 ops/s", ratio: "0.28× floor", target: "≥ 0.45× floor", pass: false },
      { group: "bundle", name: "sender only", value: "38.0 KB gzip", ratio: "120 KB min", target: "≤ 40 KB gzip", pass: true },
    ]),
  ),
].join("\n");
const readme = ["# Kit", "", "## Benchmarks", "", README_MARKERS[0], "stale", README_MARKERS[1], "", "## Development", ""].join("\n");

describe("the README's benchmark table", () => {
  it("holds the target rows of RESULTS.md with their verdicts and the run's date, nothing else", () => {
    const block = readmeBlock(results);
    expect(block).toContain("(2026-12-02, load average 9.20 / 10.04 on 2 cores; 1 of 2 met;");
    expect(block).toContain("| receiver | receive() vs floor | 54,954 ops/s | 0.28× floor | ≥ 0.45× floor | MISS |");
    expect(block).toContain("| bundle | sender only | 38.0 KB gzip | 120 KB min | ≤ 40 KB gzip | PASS |");
    expect(block).not.toContain("raw floor");
  });

  it("is written between the markers only, and then passes the check", () => {
    const updated = updateReadmeFrom(readme, results);
    expect(updated.startsWith("# Kit\n\n## Benchmarks\n\n")).toBe(true);
    expect(updated.endsWith("\n\n## Development\n")).toBe(true);
    expect(updated).not.toContain("stale");
    expect(checkReadme(results, updated)).toBeUndefined();
  });

  it("fails the check when edited by hand, when RESULTS.md changed without it, or without markers", () => {
    const updated = updateReadmeFrom(readme, results);
    expect(checkReadme(results, updated.replace("54,954", "99,999"))).toMatch(/differs from bench\/RESULTS.md: run `pnpm bench`/);
    expect(checkReadme(results.replace("54,954", "60,000"), updated)).toMatch(/differs/);
    expect(checkReadme(results, "# Kit\n")).toMatch(/no benchmark markers/);
    expect(() => updateReadmeFrom("# Kit\n", results)).toThrow(/no benchmark markers/);
  });
});
