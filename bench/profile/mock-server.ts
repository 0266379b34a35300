/**
 * Profiles the mock CLI under load: spawns `node --cpu-prof dist/cli.js`, sends it 15 000 unique
 * pre-signed offer_sent deliveries with autocannon, stops it with SIGINT and summarises the profile.
 * Usage (after `pnpm build`): tsx bench/profile/mock-server.ts [--quiet] [--bare]
 * (`--bare` profiles the bare node:http server under the same load instead, for comparison.)
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import { freePort, waitForFirstAnswer } from "../lib/child-server.js";
import { secretBytes, uniqueSignedDelivery, type OfferSentEnvelope } from "../lib/fixtures.js";
import { bareServerScript, contractsDist, importDist, mockCli, repoRoot } from "../lib/paths.js";

type Contracts = typeof import("../../packages/contracts/src/index.js");
const contracts = await importDist<Contracts>(contractsDist);
const { generateSecret } = await importDist<typeof import("../../packages/sdk/src/index.js")>(join(repoRoot, "packages/sdk/dist/index.js"));
const secret = generateSecret();
const dir = join(repoRoot, ".tmp/prof-mock");
rmSync(dir, { recursive: true, force: true });
const port = await freePort();
const extra = process.argv.includes("--quiet") ? ["--quiet"] : [];
const target = process.argv.includes("--bare") ? [bareServerScript, String(port)] : [mockCli, "--port", String(port), ...extra];
const child = spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, ...target], {
  stdio: "ignore",
  env: { ...process.env, WEBHOOK_SECRET: secret },
});
await waitForFirstAnswer(`http://127.0.0.1:${port}/`, performance.now(), 10_000, child);
const example = contracts.events.offer_sent.example as OfferSentEnvelope;
const key = secretBytes(secret);
const deliveries = Array.from({ length: 15_000 }, () => uniqueSignedDelivery(example, key));
let next = 0;
const result = await autocannon({
  url: `http://127.0.0.1:${port}`,
  connections: 10,
  amount: deliveries.length,
  requests: [
    {
      method: "POST",
      path: "/functions/v1/make-server-8061e72e/webhooks/dttracker",
      setupRequest: (request: Record<string, unknown>) => ({ ...request, ...deliveries[next++]! }),
    },
  ],
});
console.log(`${Math.round(result.requests.total / result.duration)} req/s, non-2xx ${result.non2xx}`);
child.kill("SIGINT");
await new Promise((resolve) => child.once("exit", resolve));
const [file] = readdirSync(dir);
spawnSync(process.execPath, ["--import", "tsx", join(repoRoot, "bench/profile/top-functions.ts"), join(dir, file!), "25"], { stdio: "inherit" });
