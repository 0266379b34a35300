#!/usr/bin/env node
/**
 * `mock-server`: play Dobbletap or DTTracker on loopback, or fire one signed contract example at a
 * real endpoint (`mock-server trigger`). Run `mock-server --help`.
 *
 * @packageDocumentation
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { eventNames, isEventName } from "@dttracker-dobbletap/contracts";
import { createSigner, createVerifier } from "@dttracker-dobbletap/sdk";
import { createLineWriter } from "./log.js";
import { readSeedFile, SeedError, type MockParty } from "./seed.js";
import { defaultBase, defaultPort, startMockServer } from "./server.js";
import { trigger, TriggerInputError } from "./trigger.js";

const out = (line = "") => process.stdout.write(`${line}\n`);
const fail = (message: string, code = 2): never => {
  process.stderr.write(`mock-server: ${message}\n`);
  process.exit(code);
};

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError("must be a port number from 0 to 65535 (0: any free port).");
  return n;
}

/** A v1a key from its flag or environment variable, checked now (a whpk_ where a whsk_ goes is named). */
function keyFrom(flag: string | undefined, variable: string, check: (key: string) => void): string | undefined {
  const key = flag ?? (process.env[variable] || undefined);
  if (key === undefined) return undefined;
  try {
    check(key);
  } catch (error) {
    fail((error as Error).message);
  }
  return key;
}

const signingKeyFrom = (flag: string | undefined) =>
  keyFrom(flag, "WEBHOOK_SIGNING_KEY", (key) => {
    if (!key.startsWith("whsk_")) throw new Error(`--signing-key / WEBHOOK_SIGNING_KEY needs a v1a secret key (whsk_…), but it was given ${key.startsWith("whpk_") ? "a v1a public key (whpk_…): that goes to --verify-key of the receiving side" : "something else"}.`);
    createSigner(key);
  });
const verifyKeyFrom = (flag: string | undefined) =>
  keyFrom(flag, "WEBHOOK_VERIFY_KEY", (key) => {
    if (!key.startsWith("whpk_")) throw new Error(`--verify-key / WEBHOOK_VERIFY_KEY needs a v1a public key (whpk_…), but it was given ${key.startsWith("whsk_") ? "a v1a secret key (whsk_…): that stays with the sender (its --signing-key)" : "something else"}.`);
    createVerifier([key]);
  });

/** The secret from --secret or WEBHOOK_SECRET, checked now rather than at the first request. */
function secretFrom(flag: string | undefined): string | undefined {
  const secret = flag ?? (process.env.WEBHOOK_SECRET || undefined);
  if (secret === undefined) return undefined;
  try {
    createSigner(secret);
  } catch (error) {
    fail((error as Error).message);
  }
  return secret;
}

interface ServeFlags {
  as: MockParty;
  base?: string;
  port?: number;
  host: string;
  secret?: string;
  signingKey?: string;
  verifyKey?: string;
  empty?: boolean;
  seed?: string;
  dttrackerUrl?: string;
  verifySignatures: boolean;
  quiet?: boolean;
}

async function serve(flags: ServeFlags): Promise<void> {
  const seed = flags.seed === undefined ? undefined : await readSeedFile(flags.seed).catch((error: Error) => fail(error.message));
  if (flags.dttrackerUrl !== undefined) {
    if (flags.as !== "dobbletap") fail("--dttracker-url is for --as dobbletap (where the creator's accept/decline events go).");
    if (!URL.canParse(flags.dttrackerUrl)) fail(`--dttracker-url "${flags.dttrackerUrl}" is not a URL (e.g. http://127.0.0.1:4011/functions/v1).`);
  }
  const write = createLineWriter((chunk) => process.stdout.write(chunk));
  const mock = await startMockServer({
    as: flags.as,
    base: flags.base ?? defaultBase[flags.as],
    port: flags.port ?? defaultPort[flags.as],
    host: flags.host,
    secret: secretFrom(flags.secret),
    signingKey: signingKeyFrom(flags.signingKey),
    verifyKey: verifyKeyFrom(flags.verifyKey),
    verifySignatures: flags.verifySignatures,
    seed,
    empty: flags.empty,
    dttrackerUrl: flags.dttrackerUrl,
    log: flags.quiet ? false : write,
  }).catch((error: NodeJS.ErrnoException) =>
    fail(error.code === "EADDRINUSE" ? `Port ${flags.port ?? defaultPort[flags.as]} is in use: pick another with --port (0 = any free port).` : error.message),
  );

  out(`Mock ${flags.as === "dobbletap" ? "Dobbletap" : "DTTracker"} listening on ${mock.origin}`);
  if (!flags.verifySignatures) {
    out("");
    out("!!! WARNING: --no-verify-signatures: UNSIGNED REQUESTS ARE ACCEPTED. Anyone who can reach this port can !!!");
    out("!!! send events. For local contract runs with tools that cannot sign only; never expose this mock.    !!!");
  }
  if (mock.generatedSecret) {
    out("");
    out(`Generated test secret (this run only; set WEBHOOK_SECRET or --secret to choose one): ${mock.secret}`);
  }
  out("");
  out(`Webhook routes (${flags.verifySignatures ? "Standard Webhooks signature required" : "signatures NOT checked"}):`);
  for (const route of mock.routes) out(`  POST ${route.url}  (${route.events.join(", ")})`);
  out(`Admin routes (no signature), under ${mock.origin}:`);
  for (const route of mock.adminRoutes) out(`  ${route}`);
  out(`State: ${seed ? `seed file ${flags.seed}` : flags.empty ? "empty" : "demo seed"} (${mock.state.summary()})`);
  if (flags.as === "dobbletap" && flags.dttrackerUrl) out(`Offer decisions go to DTTracker at ${flags.dttrackerUrl}`);
  out("");

  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void mock.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

interface TriggerFlags {
  to: string;
  secret?: string;
  signingKey?: string;
  set: string[];
  id?: string;
  bearerEnv?: string;
}

async function fire(event: string, flags: TriggerFlags): Promise<void> {
  if (!isEventName(event)) fail(`Unknown event "${event}". Events: ${eventNames.join(", ")}.`);
  const secret = secretFrom(flags.secret);
  const signingKey = signingKeyFrom(flags.signingKey);
  if (secret === undefined && signingKey === undefined) {
    fail("Nothing to sign with: pass --signing-key or set WEBHOOK_SIGNING_KEY (v1a, whsk_…), or --secret / WEBHOOK_SECRET (v1, whsec_…).");
  }
  let bearerToken: string | undefined;
  if (flags.bearerEnv !== undefined) {
    bearerToken = process.env[flags.bearerEnv] || fail(`--bearer-env ${flags.bearerEnv}: that environment variable is not set.`);
  }
  const report = await trigger({ event: event as never, to: flags.to, secret, signingKey, set: flags.set, id: flags.id, bearerToken }).catch((error: Error) =>
    fail(error instanceof TriggerInputError ? error.message : `Could not send: ${error.message}`),
  );
  out(`→ POST ${flags.to}  ${event}  id ${String(report.envelope.id)}`);
  if (report.requestIssues.length > 0) {
    out(`  (sent on purpose although it breaks the contract: ${report.requestIssues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")})`);
  }
  if (report.status === undefined) {
    out(`✗ ${report.verdict}`);
    process.exit(1);
  }
  out(`← ${report.status}`);
  out(typeof report.body === "string" ? report.body : JSON.stringify(report.body, null, 2));
  out(`${report.contractValid ? "✓" : "✗"} ${report.verdict}`);
  process.exit(report.synced ? 0 : 1);
}

const program = new Command("mock-server")
  .description("Emulates Dobbletap or DTTracker with the contract's rules: inspect, reset, inject faults, fire signed events.")
  // Options after `trigger` belong to trigger (both have --secret).
  .enablePositionalOptions()
  .addOption(new Option("--as <party>", "the party to play").choices(["dobbletap", "dttracker"]).default("dobbletap"))
  .option("--base <path>", `base path of the functions (default ${defaultBase.dobbletap} as dobbletap, ${defaultBase.dttracker} as dttracker)`)
  .option("--port <port>", "port (default 4010 as dobbletap, 4011 as dttracker; 0 = any free port)", port)
  .option("--host <host>", "interface to listen on", "127.0.0.1")
  .option("--secret <whsec>", "v1 signing secret (default: $WEBHOOK_SECRET, else one is generated and printed unless --verify-key is given)")
  .option("--signing-key <whsk>", "v1a: this mock's own secret key, signing what it sends (default: $WEBHOOK_SIGNING_KEY)")
  .option("--verify-key <whpk>", "v1a: the other party's public key that requests must be signed for (default: $WEBHOOK_VERIFY_KEY)")
  .option("--empty", "start with no data (no demo seed)")
  .option("--seed <file>", "start with this JSON data (format: see README)")
  .option("--dttracker-url <url>", "as dobbletap: DTTracker's functions base URL, where accept/decline events go")
  .option("--no-verify-signatures", "accept unsigned requests (for tools that cannot sign; never in production)")
  .option("--quiet", "no per-request log lines")
  .action((flags: ServeFlags) => serve(flags));

program
  .command("trigger")
  .description("sign and send one contract example (with overrides) to a real endpoint and judge the answer")
  .argument("<event>", `one of: ${eventNames.join(", ")}`)
  .requiredOption("--to <url>", "the full URL of the receiving endpoint")
  .option("--secret <whsec>", "v1 signing secret (default: $WEBHOOK_SECRET)")
  .option("--signing-key <whsk>", "v1a secret key to sign with (default: $WEBHOOK_SIGNING_KEY); with --secret too, both signatures")
  .option("--set <path=value>", "override a field, e.g. data.creators.0.status=pending (repeatable; JSON values parse)", (value: string, all: string[]) => [...all, value], [] as string[])
  .option("--id <uuid>", "the event id (default: a fresh UUID)")
  .option("--bearer-env <name>", "send Authorization: Bearer with the token in this environment variable")
  .action((event: string, flags: TriggerFlags) => fire(event, flags));

// `pnpm mock -- --as dttracker` passes the `--` through; it would end option parsing.
const argv = process.argv.slice(2);
if (argv[0] === "--") argv.shift();
program.parseAsync(argv, { from: "user" }).catch((error: Error) => fail(error instanceof SeedError ? error.message : error.message, 1));
