/**
 * Start-up time to first answer: spawn the built mock CLI and poll it (a GET every 2 ms) until any
 * HTTP answer arrives (its 404 for `/` counts: the server is serving). Next to the bare node:http
 * script, timed the same way, interleaved, median of several runs each. Then the same for the
 * command the README's quick start gives a developer (`npm run mock`), read from the README itself.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./lib/paths.js";
import { bareServerScript, mockCli } from "./lib/paths.js";
import { startChildServer } from "./lib/child-server.js";
import { median } from "./lib/interleaved.js";
import { formatMs, formatRatio } from "./lib/table.js";
import type { Measurement } from "./lib/types.js";

export async function measureStartup(options: { runs: number; secret: string }): Promise<Measurement> {
  const mockTimes: number[] = [];
  const bareTimes: number[] = [];
  const startMock = () =>
    startChildServer(process.execPath, (port) => [mockCli, "--as", "dobbletap", "--port", String(port)], { WEBHOOK_SECRET: options.secret });
  const startBare = () => startChildServer(process.execPath, (port) => [bareServerScript, String(port)]);
  // One unmeasured start of each warms the OS file cache, as on a developer's machine.
  for (const start of [startMock, startBare]) await (await start()).stop();
  for (let run = 0; run < options.runs; run++) {
    for (const [start, times] of [
      [startMock, mockTimes],
      [startBare, bareTimes],
    ] as const) {
      const server = await start();
      times.push(server.startupMs);
      await server.stop();
    }
  }
  const readme = readmeMockCommand();
  const readmeTimes: number[] = [];
  for (let run = 0; run < 5; run++) {
    // `npm run mock -- --port N`: the README's command on a free port, its secret from the
    // environment (nothing written to the checkout). Not --data-dir: that turns on the persistent
    // PGlite state, which the quick start does not use.
    const server = await startChildServer(
      readme[0]!,
      (port) => [...readme.slice(1), "--", "--port", String(port)],
      { WEBHOOK_SECRET: options.secret },
      { cwd: repoRoot, group: true },
    );
    readmeTimes.push(server.startupMs);
    await server.stop();
  }
  const mock = median(mockTimes);
  const bare = median(bareTimes);
  const group = "start-up to first answer";
  return {
    rows: [
      { group, name: "bare node:http script", value: formatMs(bare) },
      {
        group,
        name: "mock-server CLI (node dist/cli.js)",
        value: formatMs(mock),
        ratio: `${formatRatio(mock / bare)} bare; min ${formatMs(Math.min(...mockTimes))}`,
        target: "< 300 ms",
        pass: mock < 300,
      },
      {
        group,
        name: `the README's \`${readme.join(" ")}\` (built checkout)`,
        value: formatMs(median(readmeTimes)),
        ratio: `min ${formatMs(Math.min(...readmeTimes))}, max ${formatMs(Math.max(...readmeTimes))}`,
        target: "< 1 s",
        pass: median(readmeTimes) < 1000,
      },
    ],
    notes: [
      `Start-up: median of ${options.runs} spawns each (after one unmeasured start), from spawn to the first HTTP answer, polling every 2 ms.`,
      `README command: \`${readme.join(" ")}\` as the quick start gives it (npm, then packages/mock-server/scripts/run-dev.mjs, then the built CLI), median of 5 spawns from the repository root.`,
    ],
  };
}

/** The mock command of the README's quick start: what follows `&&` on its first line, before the comment. */
function readmeMockCommand(): string[] {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");
  const quickStart = /^## Quick start[\s\S]*?^```sh\n(.*)$/m.exec(readme)?.[1];
  const command = quickStart?.split("&&")[1]?.split("#")[0]?.trim();
  if (!command) throw new Error("README.md: no quick-start line of the form `<install> && <mock command>`.");
  return command.split(/\s+/);
}
