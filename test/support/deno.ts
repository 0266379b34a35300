/**
 * Runs a Deno entry file under the real deno binary from a Node test: a server that prints
 * `listening on <url>` and keeps running ({@link startDenoServer}), or a script run to its end
 * ({@link runDeno}). Deno gets no prompts, no network fetches (`--cached-only`), no update check and
 * no colours; the caller names the permissions. Secrets go through `env`, never argv (argv is visible
 * to every process on the host).
 */
import { spawn, type ChildProcess } from "node:child_process";

export interface DenoEntry {
  /** The deno binary (a node_modules/.bin shim also works: a server runs in its own process group). */
  binary: string;
  /** The folder holding the entry and its deno.json. */
  cwd: string;
  entry: string;
  /** Deno permission flags, e.g. `--allow-net=127.0.0.1`. */
  allow: string[];
  args?: string[];
  env?: Record<string, string>;
  timeoutMs: number;
}

export interface DenoServer {
  url: string;
  /** All the process printed so far, stdout and stderr. */
  output(): string;
  /** SIGTERM to its process group, SIGKILL after 3 s. */
  stop(): Promise<void>;
}

function spawnDeno({ binary, cwd, entry, allow, args = [], env = {} }: DenoEntry, detached: boolean): ChildProcess {
  return spawn(binary, ["run", "--cached-only", "--no-prompt", ...allow, entry, ...args], {
    cwd,
    detached,
    env: { ...process.env, ...env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Starts `entry` and resolves with the URL it prints once listening (PORT=0 in `env` lets the OS pick). */
export async function startDenoServer(options: DenoEntry): Promise<DenoServer> {
  // Its own process group, so stop() ends it (and anything it started, e.g. a shim's child) with one signal.
  const deno = spawnDeno(options, true);
  let output = "";
  const running = () => deno.pid !== undefined && deno.exitCode === null && deno.signalCode === null;
  const stop = async () => {
    if (!running()) return;
    const exited = new Promise((resolve) => deno.once("exit", resolve));
    process.kill(-deno.pid!, "SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3_000))]);
    if (running()) process.kill(-deno.pid!, "SIGKILL");
  };
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`deno ${options.entry} did not start listening within ${options.timeoutMs / 1000} s:\n${output}`)),
      options.timeoutMs,
    );
    deno.stdout!.on("data", (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    deno.stderr!.on("data", (chunk: Buffer) => (output += chunk));
    deno.once("error", reject);
    deno.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`deno ${options.entry} exited with ${code}:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { url, output: () => output, stop };
}

/** Runs `entry` to its end (SIGKILL at the timeout); `code` is the exit code, the signal's name, or `timeout`. */
export async function runDeno(options: DenoEntry): Promise<{ code: number | string; stdout: string; output: string }> {
  const deno = spawnDeno(options, false);
  let stdout = "";
  let output = "";
  deno.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk;
    output += chunk;
  });
  deno.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const code = await new Promise<number | string>((resolve, reject) => {
    const timer = setTimeout(() => {
      deno.kill("SIGKILL");
      resolve(`timeout (${options.timeoutMs / 1000} s)`);
    }, options.timeoutMs);
    deno.once("error", reject);
    deno.once("close", (exitCode, signal) => {
      clearTimeout(timer);
      resolve(exitCode ?? String(signal));
    });
  });
  return { code, stdout, output };
}
