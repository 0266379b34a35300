/**
 * Starts a server in a child process and waits until it answers. Servers under load run in their own
 * process so that the load generator (autocannon, the sender) and the server do not share one event
 * loop: on 2 cores each gets one.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "../../test/support/free-port.js";
import { onServerCore } from "./pinning.js";

export { freePort };

export interface ChildServer {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Polls `url` until any HTTP answer arrives; returns the ms from `startedAt`. */
export async function waitForFirstAnswer(url: string, startedAt: number, timeoutMs = 10_000, child?: ChildProcess): Promise<number> {
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before answering`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(500) });
      await response.arrayBuffer();
      return performance.now() - startedAt;
    } catch {
      if (performance.now() - startedAt > timeoutMs) throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

export async function startChildServer(
  command: string,
  args: (port: number) => string[],
  env: Record<string, string> = {},
  /** `group`: the command starts the server as a grandchild (npm run): signal the whole process group. */
  options: { cwd?: string; group?: boolean } = {},
): Promise<ChildServer & { startupMs: number }> {
  const port = await freePort();
  const startedAt = performance.now();
  const child = spawn(command, args(port), {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...env },
    cwd: options.cwd,
    detached: options.group === true,
  });
  const kill = (signal: NodeJS.Signals) => (options.group && child.pid !== undefined ? process.kill(-child.pid, signal) : child.kill(signal));
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  let startupMs: number;
  try {
    startupMs = await waitForFirstAnswer(`${url}/`, startedAt, 10_000, child);
  } catch (error) {
    kill("SIGKILL");
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }
  return {
    url,
    port,
    process: child,
    startupMs,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => kill("SIGKILL"), 3_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        kill("SIGTERM");
      }),
  };
}

/** {@link startChildServer} with the server pinned to the server core (lib/pinning.ts); taskset execs it, so the pid is the server's. */
export function startPinnedServer(
  command: string,
  args: (port: number) => string[],
  env: Record<string, string> = {},
): Promise<ChildServer & { startupMs: number }> {
  const [pinnedCommand] = onServerCore(command, []);
  return startChildServer(pinnedCommand, (port) => onServerCore(command, args(port))[1], env);
}
