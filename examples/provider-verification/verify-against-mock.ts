/**
 * Runs the contracts package's verify command — the same command a provider runs in CI against its
 * deployment — against the mock server of this repository:
 *
 *   1. start the mock as the provider on a free port; it generates a fresh signing secret;
 *   2. run `dttracker-dobbletap-verify --provider … --base-url <mock> --states-url <mock>/__mock/provider-states
 *      --secret-env WEBHOOK_SECRET`, with the secret only in that process's environment;
 *   3. exit with the verifier's exit code.
 *
 *   npx tsx verify-against-mock.ts              # Dobbletap (the default)
 *   npx tsx verify-against-mock.ts dttracker    # DTTracker's two endpoints
 */
import { stripVTControlCharacters } from "node:util";
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { startMockServer } from "@dttracker-dobbletap/mock-server";

const here = dirname(fileURLToPath(import.meta.url));
const verifyBin = join(here, "node_modules", ".bin", "dttracker-dobbletap-verify");

export interface VerifyAgainstMockOptions {
  provider?: "dobbletap" | "dttracker";
  /** Sign the replayed requests with another secret than the mock holds (to see a failure). */
  wrongSecret?: string;
  /** Kills the verifier after this long. Default 30 s. */
  timeoutMs?: number;
  /** Streams the verifier's output as it comes (the script does; the test collects it). */
  onOutput?: (chunk: string) => void;
}

export interface VerifyAgainstMockResult {
  exitCode: number | null;
  /** stdout and stderr, without colour codes. */
  output: string;
  /** The exact command line that ran (no secret in it: the secret travels in the environment). */
  command: string;
}

/** The verify command's arguments; the secret is named (`--secret-env`), never passed. */
export function verifyArgs({ provider, baseUrl, statesUrl }: { provider: string; baseUrl: string; statesUrl: string }): string[] {
  return ["--provider", provider, "--base-url", baseUrl, "--states-url", statesUrl, "--secret-env", "WEBHOOK_SECRET"];
}

/** Starts the mock, runs the verify command against it, stops the mock. */
export async function verifyAgainstMock({
  provider = "dobbletap",
  wrongSecret,
  timeoutMs = 30_000,
  onOutput,
}: VerifyAgainstMockOptions = {}): Promise<VerifyAgainstMockResult> {
  const mock = await startMockServer({ as: provider, port: 0 });
  try {
    const args = verifyArgs({ provider, baseUrl: mock.url, statesUrl: `${mock.origin}/__mock/provider-states` });
    const child = spawn(verifyBin, args, {
      env: { ...process.env, WEBHOOK_SECRET: wrongSecret ?? mock.secret, PACT_DO_NOT_TRACK: "true", NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk;
      onOutput?.(chunk.toString());
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const exitCode = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`The verifier did not finish within ${timeoutMs} ms:\n${output}`));
      }, timeoutMs);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
    // The Pact verifier colours its report whatever NO_COLOR says; strip it for reading and matching.
    // eslint-disable-next-line no-control-regex
    return { exitCode, output: stripVTControlCharacters(output), command: `dttracker-dobbletap-verify ${args.join(" ")}` };
  } finally {
    await mock.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const provider = process.argv[2] === "dttracker" ? "dttracker" : "dobbletap";
  const { exitCode, command } = await verifyAgainstMock({ provider, onOutput: (chunk) => process.stdout.write(chunk) });
  console.log(`\n$ WEBHOOK_SECRET=<the mock's generated secret> ${command}\nexit ${exitCode}`);
  process.exit(exitCode ?? 1);
}
