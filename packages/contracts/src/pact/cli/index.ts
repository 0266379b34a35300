/**
 * `dttracker-dobbletap-verify`: verifies a real deployment (or the mock server) against the pacts
 * shipped in @dttracker-dobbletap/contracts. One commander program; each subcommand is its own
 * module (`provider`, the default, in provider-command.ts; `compat`, in ../../compat/cli.ts).
 * The bin itself is the SDK's (`@dttracker-dobbletap/sdk`), which hands in its signer: this
 * package cannot depend on the SDK, and signing has one home there.
 *
 * Exit codes: 0 every interaction passes; 1 a contract mismatch; 2 a setup problem (bad option,
 * unreachable URL, unwired states URL, malformed key, Pact not installed).
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { runCompat } from "../../compat/cli.js";
import { addProviderCommand } from "./provider-command.js";
import type { SignRequest } from "../resign.js";
import { isWorker, runWorker } from "./worker.js";

function packageVersion(): string {
  // dist/verify-cli.js and src/pact/cli/index.ts both find the package's package.json this way.
  const at = new URL(import.meta.url.includes("/dist/") ? "../package.json" : "../../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(at, "utf8")) as { version: string }).version;
}

function createProgram(sign: SignRequest): Command {
  const program = new Command("dttracker-dobbletap-verify")
    .description("Contract verification for the DTTracker ↔ Dobbletap webhooks.")
    .version(packageVersion(), "-V, --version")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  addProviderCommand(program, sign);
  // compat parses its own arguments (--from OLD [--json]): hand them over untouched.
  program
    .command("compat")
    .description("which side a contract change breaks: compat --from OLD [--json]")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument("[args...]")
    .action(async (args: string[]) => {
      process.exitCode = await runCompat(args);
    });
  return program;
}

async function main(sign: SignRequest) {
  try {
    await createProgram(sign).parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are not failures; a usage error is a setup problem.
      process.exit(error.exitCode === 0 ? 0 : 2);
    }
    console.error(`dttracker-dobbletap-verify: ${(error as Error).stack ?? String(error)}`);
    process.exit(2);
  }
}

/** What the bin hands in. */
export interface VerifyCliOptions {
  /** Signs every replay and state change (see {@link SignRequest}). */
  sign: SignRequest;
}

/**
 * Runs `dttracker-dobbletap-verify` on `process.argv` (or, in the verification's child process,
 * the verification itself). The SDK's bin is this call with the SDK's signer.
 *
 * @example
 * ```ts
 * import { runVerifyCli } from "@dttracker-dobbletap/contracts/verify-cli";
 * import { createSigner } from "@dttracker-dobbletap/sdk";
 * runVerifyCli({ sign: (secret, id, body) => createSigner(secret).headers(id, body) });
 * ```
 */
export function runVerifyCli(options: VerifyCliOptions): void {
  if (isWorker()) runWorker(options.sign);
  else void main(options.sign);
}
