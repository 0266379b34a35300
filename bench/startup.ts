/**
 * Start-up time to first answer: spawn the built mock CLI and poll it (a GET every 2 ms) until any
 * HTTP answer arrives (its 404 for `/` counts: the server is serving). Next to the bare node:http
 * script, timed the same way, interleaved, median of several runs each.
 */
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
    ],
    notes: [
      `Start-up: median of ${options.runs} spawns each (after one unmeasured start), from spawn to the first HTTP answer, polling every 2 ms.`,
    ],
  };
}
