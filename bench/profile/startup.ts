/**
 * Profiles the mock CLI's start-up: spawns `node --cpu-prof dist/cli.js`, waits for the first HTTP
 * answer, stops it with SIGINT (it exits cleanly, so V8 writes the profile) and summarises where the
 * time went. Usage (after `pnpm build`): tsx bench/profile/startup.ts
 */
import { spawn } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { freePort, waitForFirstAnswer } from "../lib/child-server.js";
import { mockCli, repoRoot } from "../lib/paths.js";

const dir = join(repoRoot, ".tmp/prof-startup");
rmSync(dir, { recursive: true, force: true });
const port = await freePort();
const started = performance.now();
const child = spawn(process.execPath, ["--cpu-prof", `--cpu-prof-dir=${dir}`, mockCli, "--port", String(port)], {
  stdio: "ignore",
  env: { ...process.env, WEBHOOK_SECRET: "" },
});
const ms = await waitForFirstAnswer(`http://127.0.0.1:${port}/`, started, 10_000, child);
console.log(`first answer after ${ms.toFixed(0)} ms (with the profiler on)`);
child.kill("SIGINT");
await new Promise((resolve) => child.once("exit", resolve));
const [file] = readdirSync(dir);
const { spawnSync } = await import("node:child_process");
spawnSync(process.execPath, ["--import", "tsx", join(repoRoot, "bench/profile/top-functions.ts"), join(dir, file!), "15"], { stdio: "inherit" });
