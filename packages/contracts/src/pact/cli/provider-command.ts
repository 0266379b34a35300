import { writeFileSync } from "node:fs";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { Party } from "../../endpoints.js";
import { preflight } from "../preflight.js";
import { renderJunit, renderTable } from "../render.js";
import type { SignRequest } from "../resign.js";
import type { BrokerOptions, VerifyProviderOptions } from "../verify.js";
import { verifyInChild } from "./worker.js";

/** Exit codes, documented in the README and pinned by cli.test.ts. */
export const exitCodes = { passed: 0, mismatch: 1, setup: 2 } as const;

const positiveInt = (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0) throw new InvalidArgumentError("must be a positive whole number of milliseconds.");
  return number;
};

interface ProviderCommandOptions {
  provider: Party;
  baseUrl: string;
  statesUrl?: string;
  secretEnv?: string;
  signingKeyEnv?: string;
  bearerEnv?: string;
  pact?: string[];
  brokerUrl?: string;
  timeout: number;
  interaction?: string;
  junit?: string;
  json?: boolean;
  verbose?: boolean;
  logLevel: "trace" | "debug" | "info" | "warn" | "error";
}

/** `dttracker-dobbletap-verify [provider] --provider … --base-url …`: the default command. */
export function addProviderCommand(program: Command, sign: SignRequest): Command {
  return program
    .command("provider", { isDefault: true })
    .description("verify a provider's receiver against the pacts (the default command)")
    .addOption(new Option("--provider <party>", "whose receiver to verify").choices(["dobbletap", "dttracker"]).makeOptionMandatory())
    .requiredOption("--base-url <url>", "its base URL, e.g. https://<project-ref>.supabase.co/functions/v1/make-server-8061e72e")
    .option("--states-url <url>", "its provider-state endpoint (createProviderStates), e.g. <base-url>/__pact/states")
    .option("--secret-env <name>", "environment variable holding its v1 signing secret, whsec_… (default WEBHOOK_SECRET)")
    .option("--signing-key-env <name>", "environment variable holding the sending party's v1a secret key (whsk_…); replays are re-signed with v1a")
    .option("--bearer-env <name>", "environment variable holding a bearer token its gateway demands")
    .option("--pact <file...>", "pact file(s) to verify instead of the ones shipped in this package")
    .option("--broker-url <url>", "fetch pacts from a Pact Broker (default $PACT_BROKER_BASE_URL; see the README)")
    .option("--timeout <ms>", "per request (each replay, each state change)", positiveInt, 5000)
    .option("--interaction <text>", "verify only the interaction(s) whose description contains this text")
    .option("--junit <file>", "write a JUnit XML report, one test case per interaction")
    .option("--json", "print the report as JSON on stdout instead of the table")
    .option("--verbose", "also print Pact's own verifier output")
    .addOption(new Option("--log-level <level>", "Pact's log level").choices(["trace", "debug", "info", "warn", "error"]).default("warn"))
    .addHelpText(
      "after",
      "\nExit codes: 0 every interaction passes, 1 a contract mismatch, 2 a setup problem.\n" +
        "Broker: $PACT_BROKER_TOKEN (or _USERNAME/_PASSWORD); results published when\n" +
        "$PACT_BROKER_PUBLISH_VERIFICATION_RESULTS=true with $PACT_BROKER_PROVIDER_VERSION and _BRANCH;\n" +
        "$PACT_BROKER_CONSUMER_VERSION_SELECTORS (JSON), $PACT_BROKER_INCLUDE_WIP_PACTS_SINCE, $PACT_BROKER_ENABLE_PENDING=false.",
    )
    .action(async (options: ProviderCommandOptions) => {
      process.exitCode = await verifyCommand(options, sign);
    });
}

const setupFailure = (lines: string[]) => {
  for (const line of lines) console.error(`✗ setup: ${line}`);
  return exitCodes.setup;
};

function brokerFrom(options: ProviderCommandOptions): BrokerOptions | undefined {
  const url = options.brokerUrl ?? process.env.PACT_BROKER_BASE_URL;
  if (!url) return undefined;
  const selectors = process.env.PACT_BROKER_CONSUMER_VERSION_SELECTORS;
  return {
    url,
    token: process.env.PACT_BROKER_TOKEN,
    username: process.env.PACT_BROKER_USERNAME,
    password: process.env.PACT_BROKER_PASSWORD,
    publish: process.env.PACT_BROKER_PUBLISH_VERIFICATION_RESULTS === "true",
    providerVersion: process.env.PACT_BROKER_PROVIDER_VERSION,
    providerBranch: process.env.PACT_BROKER_PROVIDER_BRANCH,
    consumerVersionSelectors: selectors ? (JSON.parse(selectors) as Array<Record<string, unknown>>) : undefined,
    enablePending: process.env.PACT_BROKER_ENABLE_PENDING !== "false",
    includeWipPactsSince: process.env.PACT_BROKER_INCLUDE_WIP_PACTS_SINCE,
  };
}

async function verifyCommand(options: ProviderCommandOptions, sign: SignRequest): Promise<number> {
  if (options.secretEnv !== undefined && options.signingKeyEnv !== undefined) {
    return setupFailure(["Give --secret-env (v1) or --signing-key-env (v1a): each replay is re-signed with the one key it is given."]);
  }
  const keyEnv = options.signingKeyEnv ?? options.secretEnv ?? "WEBHOOK_SECRET";
  const secret = process.env[keyEnv];
  if (!secret) return setupFailure([`The signing key is read from $${keyEnv}, which is not set (--secret-env / --signing-key-env name another variable).`]);
  const v1a = options.signingKeyEnv !== undefined;
  if (secret.startsWith(v1a ? "whsec_" : "whsk_") || secret.startsWith("whpk_")) {
    return setupFailure([
      `$${keyEnv} holds a ${secret.slice(0, 5)}… key, but ${v1a ? "--signing-key-env needs a v1a secret key (whsk_…)" : "--secret-env needs a v1 secret (whsec_…); for a whsk_ key use --signing-key-env"}. A whpk_ public key cannot sign.`,
    ]);
  }
  const bearerToken = options.bearerEnv ? process.env[options.bearerEnv] : undefined;
  if (options.bearerEnv && !bearerToken) return setupFailure([`--bearer-env ${options.bearerEnv}: $${options.bearerEnv} is not set.`]);
  let broker: BrokerOptions | undefined;
  try {
    broker = brokerFrom(options);
  } catch {
    return setupFailure(["$PACT_BROKER_CONSUMER_VERSION_SELECTORS is not JSON (an array of selectors)."]);
  }
  if (broker?.publish && !broker.providerVersion) {
    return setupFailure(["Publishing results needs $PACT_BROKER_PROVIDER_VERSION (e.g. the commit sha)."]);
  }

  const problems = await preflight({
    baseUrl: options.baseUrl,
    statesUrl: options.statesUrl,
    secret,
    sign,
    secretEnv: keyEnv,
    timeoutMs: options.timeout,
  });
  if (problems.length > 0) return setupFailure(problems);
  if (!options.statesUrl) {
    console.error("warning: no --states-url: provider states are not set, so interactions that need one fail unless the provider is already in it.");
  }

  // The child process gets these over IPC, which carries no functions: it has its own signer.
  const verifyOptions: Omit<VerifyProviderOptions, "sign"> = {
    provider: options.provider,
    baseUrl: options.baseUrl,
    statesUrl: options.statesUrl,
    secret,
    secretEnv: keyEnv,
    bearerToken,
    pactFiles: options.pact,
    broker,
    logLevel: options.logLevel,
    timeoutMs: options.timeout,
    interaction: options.interaction,
  };
  // Each interaction makes at most a replay and a few state changes, each bounded by --timeout.
  const deadlineMs = 20_000 + options.timeout * 60;
  const outcome = await verifyInChild(verifyOptions, deadlineMs);
  if (options.verbose && outcome.pactOutput) console.error(outcome.pactOutput);
  if ("timedOut" in outcome)
    return setupFailure([`Verification did not finish within ${Math.round(deadlineMs / 1000)} s; rerun with --verbose to see where it stopped.`]);
  if ("setupError" in outcome) return setupFailure([outcome.setupError]);
  if ("crash" in outcome) return setupFailure([`The Pact verifier failed: ${outcome.crash}`]);

  const report = outcome.report;
  if (options.junit) writeFileSync(options.junit, renderJunit(report));
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else console.log(renderTable(report, { color: process.stdout.isTTY === true && !process.env.NO_COLOR }));
  return report.passed ? exitCodes.passed : exitCodes.mismatch;
}
