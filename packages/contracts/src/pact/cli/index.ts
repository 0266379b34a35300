/**
 * `dttracker-dobbletap-verify`: verifies a real deployment (or the mock server) against the pacts
 * shipped in @dttracker-dobbletap/contracts. One commander program; each subcommand is its own
 * module (`provider`, the default, in provider-command.ts; `compat`, in ../../compat/cli.ts).
 *
 * Exit codes: 0 every interaction passes; 1 a contract mismatch; 2 a setup problem (bad option,
 * unreachable URL, unwired states URL, malformed key, Pact not installed).
 */
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { runCompat } from "../../compat/cli.js";
import { addProviderCommand } from "./provider-command.js";
import { isWorker, runWorker } from "./worker.js";

function packageVersion(): string {
  // dist/verify-cli.js and src/pact/cli/index.ts both find the package's package.json this way.
  const at = new URL(import.meta.url.includes("/dist/") ? "../package.json" : "../../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(at, "utf8")) as { version: string }).version;
}

export function createProgram(): Command {
  const program = new Command("dttracker-dobbletap-verify")
    .description("Contract verification for the DTTracker ↔ Dobbletap webhooks.")
    .version(packageVersion(), "-V, --version")
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });
  addProviderCommand(program);
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
