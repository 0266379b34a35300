/**
 * `dttracker-dobbletap-verify`: verifies a real deployment (or the mock server) against the pacts
 * shipped in @dttracker-dobbletap/contracts. One commander program; each subcommand is its own
 * module (`provider`, the default, in provider-command.ts).
 *
 * Exit codes: 0 every interaction passes; 1 a contract mismatch; 2 a setup problem (bad option,
 * unreachable URL, unwired states URL, malformed key, Pact not installed).
 */
import { Command, CommanderError } from "commander";
import { addProviderCommand } from "./provider-command.js";
import { isWorker, runWorker } from "./worker.js";

export function createProgram(): Command {
  const program = new Command("dttracker-dobbletap-verify")
    .description("Contract verification for the DTTracker ↔ Dobbletap webhooks.")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  addProviderCommand(program);
  return program;
}

async function main() {
  try {
    await createProgram().parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version are not failures; a usage error is a setup problem.
      process.exit(error.exitCode === 0 ? 0 : 2);
    }
    console.error(`dttracker-dobbletap-verify: ${(error as Error).stack ?? String(error)}`);
    process.exit(2);
  }
}

if (isWorker()) void runWorker();
else void main();
