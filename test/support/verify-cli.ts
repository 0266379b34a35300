/**
 * Runs `dttracker-dobbletap-verify` as CI would: the package's bin, a separate process, bounded.
 * The bin is the built one (`pnpm test` builds first), found through the caller's node_modules/.bin.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

export interface VerifyRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the bin from `<dir>/node_modules/.bin` with `args` and `env` (added to this process's). */
export function runVerifyCli(dir: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<VerifyRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(join(dir, "node_modules", ".bin", "dttracker-dobbletap-verify"), args, {
      env: { ...process.env, PACT_DO_NOT_TRACK: "true", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`dttracker-dobbletap-verify timed out after ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}
