/**
 * Runs the CLI as a user would: a separate node process on a free port. The CLI is bundled from src
 * (with the workspace's source condition) once per test file, so the tests need no `pnpm build` and
 * each process starts in ~0.3 s, where `node --import tsx src/cli.ts` takes over a second.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

export const root = fileURLToPath(new URL("../../../", import.meta.url));
let bundled: Promise<string> | undefined;

/** The CLI bundled into one ESM file, as tsup would (plus the source condition). */
function cliBundle(): Promise<string> {
  bundled ??= (async () => {
    // Inside the checkout, so that what the bundle leaves to run time (PGlite, pg) resolves from node_modules.
    const cacheRoot = join(root, "node_modules", ".cache");
    mkdirSync(cacheRoot, { recursive: true });
    const outfile = join(mkdtempSync(join(cacheRoot, "mock-server-cli-")), "cli.mjs");
    await build({
      entryPoints: [join(root, "packages/mock-server/src/cli.ts")],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      conditions: ["@dttracker-dobbletap/source"],
      define: { __MOCK_SERVER_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, "packages/mock-server/package.json"), "utf8")).version) },
      // commander is CommonJS: give its require() of node builtins a real require.
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      logLevel: "error",
    });
    return outfile;
  })();
  return bundled;
}

export interface SpawnedMock {
  origin: string;
  process: ChildProcessWithoutNullStreams;
  /** Everything printed so far. */
  output(): string;
  /** SIGTERM, resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `mock-server <args>` and resolves once it prints where it listens. */
export async function spawnMock(args: string[], env: Record<string, string> = {}): Promise<SpawnedMock> {
  // Each mock runs in a folder of its own, so its development secret (`.mock-server/` in the working
  // directory) never lands in the checkout; --data-dir is left to the tests of it (it also persists state).
  const child = spawn(process.execPath, [await cliBundle(), "--port", "0", ...args], {
    cwd: mkdtempSync(join(tmpdir(), "mock-cwd-")),
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  let seen = "";
  child.stdout.on("data", (chunk: Buffer) => (seen += chunk));
  child.stderr.on("data", (chunk: Buffer) => (seen += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mock did not start: ${seen}`)), 10_000);
    const onData = () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      // Wait for the whole banner (it ends with the State line) before handing it over.
      if (!match || !/State: .*\n/.test(seen)) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      resolve({
        origin: match[1]!,
        process: child,
        output: () => seen,
        stop: () => {
          child.kill("SIGTERM");
          return exited;
        },
      });
    };
    child.stdout.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`mock exited with ${code}: ${seen}`));
    });
  });
}

/** Runs `mock-server <args>` to completion (for `trigger`). */
export async function runCli(
  args: string[],
  env: Record<string, string> = {},
  cwd = root,
  plainNode = false,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, plainNode ? args : [await cliBundle(), ...args], { cwd, env: { ...process.env, NO_COLOR: "1", ...env } });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  // Bounded: a CLI that hangs fails the test rather than the run.
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  return new Promise((resolve) => child.once("exit", (code) => (clearTimeout(timer), resolve({ code, output }))));
}

/** JSON over loopback. */
export async function call(url: string, method = "GET", body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
