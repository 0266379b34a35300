/**
 * `dttracker-dobbletap-verify`: verifies a real deployment (or the mock server) against the pacts
 * shipped in @dttracker-dobbletap/contracts. Exit 0 when every interaction passes, 1 otherwise.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Party } from "../endpoints.js";
import { verifyProvider, type BrokerOptions } from "./verify.js";
import { runCompat } from "../compat/cli.js";

const usage = `Usage: dttracker-dobbletap-verify --provider dobbletap|dttracker --base-url URL
         [--states-url URL] [--secret-env NAME | --signing-key-env NAME] [--bearer-env NAME]
         [--pact FILE …] [--broker-url URL] [--log-level info]
       dttracker-dobbletap-verify compat --from OLD [--json]   (which side a contract change breaks)

  --provider     whose receiver to verify
  --base-url     its base URL, e.g. https://<project-ref>.supabase.co/functions/v1/make-server-8061e72e
  --states-url   its Pact provider-state change endpoint (POST { state, params, action })
  --secret-env   environment variable holding its v1 signing secret, whsec_… (default WEBHOOK_SECRET)
  --signing-key-env  environment variable holding the v1a secret key (whsk_…) of the sending party, whose
                 whpk_ the provider trusts; each replay is re-signed with v1a instead of v1
  --bearer-env   environment variable holding a bearer token its gateway demands (optional)
  --pact         pact file(s) to verify instead of the ones shipped in this package
  --broker-url   fetch pacts from a Pact Broker (default: $PACT_BROKER_BASE_URL when set); token from
                 $PACT_BROKER_TOKEN; results published when $PACT_BROKER_PUBLISH_VERIFICATION_RESULTS=true
                 with version $PACT_BROKER_PROVIDER_VERSION and branch $PACT_BROKER_PROVIDER_BRANCH`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

async function main() {
  const { values } = parseArgs({
    options: {
      provider: { type: "string" },
      "base-url": { type: "string" },
      "states-url": { type: "string" },
      "secret-env": { type: "string" },
      "signing-key-env": { type: "string" },
      "bearer-env": { type: "string" },
      pact: { type: "string", multiple: true },
      "broker-url": { type: "string" },
      "log-level": { type: "string", default: "warn" },
      help: { type: "boolean", short: "h" },
      version: { type: "boolean", short: "V" },
    },
  });
  if (values.version) {
    // dist/verify-cli.js and src/pact/cli.ts both find the package's package.json this way.
    const at = new URL(import.meta.url.includes("/dist/") ? "../package.json" : "../../package.json", import.meta.url);
    console.log((JSON.parse(readFileSync(at, "utf8")) as { version: string }).version);
    return;
  }
  if (values.help) {
    console.log(usage);
    return;
  }
  const provider = values.provider;
  if (provider !== "dobbletap" && provider !== "dttracker") fail("--provider must be dobbletap or dttracker.");
  const baseUrl = values["base-url"] ?? fail("--base-url is required.");
  if (values["secret-env"] !== undefined && values["signing-key-env"] !== undefined) {
    fail("Give --secret-env (v1) or --signing-key-env (v1a): each replay is re-signed with the one key it is given.");
  }
  const keyEnv = values["signing-key-env"] ?? values["secret-env"] ?? "WEBHOOK_SECRET";
  const secret = process.env[keyEnv] ?? fail(`The signing key is read from $${keyEnv}, which is not set.`);
  const expected = values["signing-key-env"] !== undefined ? "whsk_" : "whsec_";
  if (secret.startsWith(expected === "whsk_" ? "whsec_" : "whsk_") || secret.startsWith("whpk_")) {
    fail(`$${keyEnv} holds a ${secret.slice(0, 5)}… key, but ${expected === "whsk_" ? "--signing-key-env needs a v1a secret key (whsk_…)" : "--secret-env needs a v1 secret (whsec_…); for a whsk_ key use --signing-key-env"}. A whpk_ public key cannot sign.`);
  }
  const bearerToken = values["bearer-env"] ? process.env[values["bearer-env"]] : undefined;
  if (values["bearer-env"] && !bearerToken) fail(`$${values["bearer-env"]} is not set.`);
  const brokerUrl = values["broker-url"] ?? process.env.PACT_BROKER_BASE_URL;
  const broker: BrokerOptions | undefined = brokerUrl
    ? {
        url: brokerUrl,
        token: process.env.PACT_BROKER_TOKEN,
        username: process.env.PACT_BROKER_USERNAME,
        password: process.env.PACT_BROKER_PASSWORD,
        publish: process.env.PACT_BROKER_PUBLISH_VERIFICATION_RESULTS === "true",
        providerVersion: process.env.PACT_BROKER_PROVIDER_VERSION,
        providerBranch: process.env.PACT_BROKER_PROVIDER_BRANCH,
      }
    : undefined;

  process.env.PACT_DO_NOT_TRACK ??= "true";
  try {
    await verifyProvider({
      provider: provider as Party,
      baseUrl,
      statesUrl: values["states-url"],
      secret,
      bearerToken,
      pactFiles: values.pact,
      broker,
      logLevel: values["log-level"] as "warn",
    });
    console.log(`\n✔ ${provider} at ${baseUrl} honours every interaction of the contract.`);
  } catch (error) {
    console.error(`\n✘ ${provider} at ${baseUrl} does not honour the contract:\n${(error as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[2] === "compat") void runCompat(process.argv.slice(3)).then((code) => (process.exitCode = code));
else void main();
