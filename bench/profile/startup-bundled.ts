/**
 * Prototype of the start-up change recommended in bench/analysis.md: the mock CLI bundled into one
 * file (esbuild: its dependencies — zod, contracts, sdk, commander — inlined, minified) against the
 * CLI as built (tsup, dependencies loaded from node_modules file by file). Median of several starts
 * each, interleaved, next to the bare server. Usage (after `pnpm build`): tsx bench/profile/startup-bundled.ts
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { startChildServer } from "../lib/child-server.js";
import { median } from "../lib/interleaved.js";
import { bareServerScript, mockCli, repoRoot } from "../lib/paths.js";

const out = join(repoRoot, ".tmp/cli-bundled.mjs");
mkdirSync(join(repoRoot, ".tmp"), { recursive: true });
await build({
  entryPoints: [mockCli],
  bundle: true,
  minify: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: out,
  logLevel: "silent",
  // commander is CommonJS: give the ESM bundle a require for node built-ins.
  banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
});
const env = { WEBHOOK_SECRET: "" };
const variants: Array<[string, string[]]> = [
  ["bare node:http", [bareServerScript]],
  ["mock CLI as built", [mockCli, "--port"]],
  ["mock CLI bundled (prototype)", [out, "--port"]],
];
const times: number[][] = variants.map(() => []);
for (let run = 0; run < 8; run++) {
  for (const [index, [, args]] of variants.entries()) {
    const server = await startChildServer(process.execPath, (port) => [...args, String(port)], env);
    if (run > 0) times[index]!.push(server.startupMs);
    await server.stop();
  }
}
for (const [index, [name]] of variants.entries())
  console.log(`${name.padEnd(30)} median ${median(times[index]!).toFixed(0)} ms (min ${Math.min(...times[index]!).toFixed(0)})`);
