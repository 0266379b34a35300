#!/usr/bin/env node
/**
 * `mock-server`: play Dobbletap or DTTracker on loopback, or fire one signed contract example at a
 * real endpoint (`mock-server trigger`). Run `mock-server --help`.
 *
 * @packageDocumentation
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { eventNames, isEventName } from "@dttracker-dobbletap/contracts";
import { createSigner } from "@dttracker-dobbletap/sdk";
import { createLineWriter } from "./log.js";
import { openPersistence, type MockPersistence } from "./persistence.js";
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
  empty?: boolean;
  seed?: string;
  dttrackerUrl?: string;
  verifySignatures: boolean;
  quiet?: boolean;
  dataDir?: string;
  databaseUrl?: string;
}

async function serve(flags: ServeFlags): Promise<void> {
  const seed = flags.seed === undefined ? undefined : await readSeedFile(flags.seed).catch((error: Error) => fail(error.message));
  if (flags.dttrackerUrl !== undefined) {
    if (flags.as !== "dobbletap") fail("--dttracker-url is for --as dobbletap (where the creator's accept/decline events go).");
    if (!URL.canParse(flags.dttrackerUrl)) fail(`--dttracker-url "${flags.dttrackerUrl}" is not a URL (e.g. http://127.0.0.1:4011/functions/v1).`);
  }
  if (flags.dataDir !== undefined && flags.databaseUrl !== undefined) fail("Give --data-dir (PGlite in that folder) or --database-url, not both.");
  if (flags.databaseUrl !== undefined && !URL.canParse(flags.databaseUrl)) fail("--database-url is not a URL (e.g. postgres://user@127.0.0.1:5432/mock).");
  let persistence: MockPersistence | undefined;
  if (flags.dataDir !== undefined || flags.databaseUrl !== undefined) {
    persistence = await openPersistence({ dataDir: flags.dataDir, databaseUrl: flags.databaseUrl }).catch((error: Error) =>
      fail(`Could not open the state database (${error.name}): check --data-dir / --database-url.`),
    );
  }
  const write = createLineWriter((chunk) => process.stdout.write(chunk));
  const mock = await startMockServer({
    persistence,
    as: flags.as,
    base: flags.base ?? defaultBase[flags.as],
    port: flags.port ?? defaultPort[flags.as],
    host: flags.host,
    secret: secretFrom(flags.secret),
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
  out(`Kept in: ${persistence ? `${persistence.description} (survives a restart; a saved state replaces the seed)` : "memory (lost on exit; --data-dir or --database-url keeps it)"}`);
  if (flags.as === "dobbletap" && flags.dttrackerUrl) out(`Offer decisions go to DTTracker at ${flags.dttrackerUrl}`);
  out("");

  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    void mock
      .close()
      .then(() => persistence?.close())
      .then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

interface TriggerFlags {
  to: string;
  secret?: string;
  set: string[];
  id?: string;
  bearerEnv?: string;
}

async function fire(event: string, flags: TriggerFlags): Promise<void> {
  if (!isEventName(event)) fail(`Unknown event "${event}". Events: ${eventNames.join(", ")}.`);
  const secret = secretFrom(flags.secret) ?? fail("No secret: pass --secret or set WEBHOOK_SECRET (the receiver's signing secret).");
  let bearerToken: string | undefined;
  if (flags.bearerEnv !== undefined) {
    bearerToken = process.env[flags.bearerEnv] || fail(`--bearer-env ${flags.bearerEnv}: that environment variable is not set.`);
  }
  const report = await trigger({ event: event as never, to: flags.to, secret, set: flags.set, id: flags.id, bearerToken }).catch((error: Error) =>
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
  .option("--secret <whsec>", "signing secret (default: $WEBHOOK_SECRET, else one is generated and printed)")
  .option("--empty", "start with no data (no demo seed)")
  .option("--seed <file>", "start with this JSON data (format: see README)")
  .option("--dttracker-url <url>", "as dobbletap: DTTracker's functions base URL, where accept/decline events go")
  .option("--no-verify-signatures", "accept unsigned requests (for tools that cannot sign; never in production)")
  .option("--quiet", "no per-request log lines")
  .option("--data-dir <dir>", "keep the state and remembered deliveries in a PGlite database in this folder (survives a restart)")
  .option("--database-url <url>", "keep the state and remembered deliveries in this PostgreSQL database instead")
  .action((flags: ServeFlags) => serve(flags));

program
  .command("trigger")
  .description("sign and send one contract example (with overrides) to a real endpoint and judge the answer")
  .argument("<event>", `one of: ${eventNames.join(", ")}`)
  .requiredOption("--to <url>", "the full URL of the receiving endpoint")
  .option("--secret <whsec>", "signing secret (default: $WEBHOOK_SECRET)")
  .option("--set <path=value>", "override a field, e.g. data.creators.0.status=pending (repeatable; JSON values parse)", (value: string, all: string[]) => [...all, value], [] as string[])
  .option("--id <uuid>", "the event id (default: a fresh UUID)")
  .option("--bearer-env <name>", "send Authorization: Bearer with the token in this environment variable")
  .action((event: string, flags: TriggerFlags) => fire(event, flags));

// `pnpm mock -- --as dttracker` passes the `--` through; it would end option parsing.
const argv = process.argv.slice(2);
if (argv[0] === "--") argv.shift();
program.parseAsync(argv, { from: "user" }).catch((error: Error) => fail(error instanceof SeedError ? error.message : error.message, 1));
