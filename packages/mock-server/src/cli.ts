#!/usr/bin/env node
/**
 * `mock-server`: play Dobbletap or DTTracker on loopback, or fire one signed contract example at a
 * real endpoint (`mock-server trigger`). Run `mock-server --help`.
 *
 * @packageDocumentation
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { eventNames, isEventName, parties } from "@dttracker-dobbletap/contracts";
import { createSigner, createVerifier } from "@dttracker-dobbletap/sdk";
import { dataDirectory, devSecret } from "./dev-credentials.js";
import { createLineWriter } from "./log.js";
import { openPersistence, type MockPersistence } from "./persistence.js";
import { readSeedFile, SeedError, type MockParty } from "./seed.js";
import { defaultBase, defaultPort, startMockServer } from "./server.js";
import { DEFAULT_MAX_OFFERS } from "./state.js";
import { trigger, TriggerInputError, type TriggerReport } from "./trigger.js";

/** Exit codes, as the README documents them. */
const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
// Replaced by the bundler (tsup `define`); the source run (tests) reads package.json.
declare const __MOCK_SERVER_VERSION__: string | undefined;
const version =
  typeof __MOCK_SERVER_VERSION__ === "string"
    ? __MOCK_SERVER_VERSION__
    : (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

const out = (line = "") => process.stdout.write(`${line}\n`);
const fail = (message: string, code: number = EXIT.usage): never => {
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
    if (!key.startsWith("whsk_"))
      throw new Error(
        `--signing-key / WEBHOOK_SIGNING_KEY needs a v1a secret key (whsk_…), but it was given ${key.startsWith("whpk_") ? "a v1a public key (whpk_…): that goes to --verify-key of the receiving side" : "something else"}.`,
      );
    createSigner(key);
  });
const verifyKeyFrom = (flag: string | undefined) =>
  keyFrom(flag, "WEBHOOK_VERIFY_KEY", (key) => {
    if (!key.startsWith("whpk_"))
      throw new Error(
        `--verify-key / WEBHOOK_VERIFY_KEY needs a v1a public key (whpk_…), but it was given ${key.startsWith("whsk_") ? "a v1a secret key (whsk_…): that stays with the sender (its --signing-key)" : "something else"}.`,
      );
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
  dataDir?: string;
  databaseUrl?: string;
  logFormat: "text" | "json";
  maxOffers?: number;
}

function maxOffers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number of offers, at least 1.");
  return n;
}

/** --max-offers, then MOCK_MAX_OFFERS, then the default; a bad variable stops the start like a bad flag. */
function maxOffersFrom(flag: number | undefined): number {
  if (flag !== undefined) return flag;
  const variable = process.env.MOCK_MAX_OFFERS;
  if (variable === undefined || variable === "") return DEFAULT_MAX_OFFERS;
  try {
    return maxOffers(variable);
  } catch (error) {
    return fail(`MOCK_MAX_OFFERS=${variable.slice(0, 20)}: ${(error as Error).message}`);
  }
}

async function serve(flags: ServeFlags): Promise<void> {
  const offersBound = maxOffersFrom(flags.maxOffers);
  const seed = flags.seed === undefined ? undefined : await readSeedFile(flags.seed).catch((error: Error) => fail(error.message));
  if (flags.dttrackerUrl !== undefined) {
    if (flags.as !== "dobbletap") fail("--dttracker-url is for --as dobbletap (where the creator's accept/decline events go).");
    if (!URL.canParse(flags.dttrackerUrl)) fail(`--dttracker-url "${flags.dttrackerUrl}" is not a URL (e.g. http://127.0.0.1:4011/functions/v1).`);
  }
  if (flags.dataDir !== undefined && flags.databaseUrl !== undefined) fail("Give --data-dir (PGlite in that folder) or --database-url, not both.");
  if (flags.databaseUrl !== undefined && !URL.canParse(flags.databaseUrl)) fail("--database-url is not a URL (e.g. postgres://user@127.0.0.1:5432/mock).");
  let persistence: MockPersistence | undefined;
  if (flags.dataDir !== undefined || flags.databaseUrl !== undefined) {
    persistence = await openPersistence({
      // One PGlite per party: a Dobbletap and a DTTracker mock may share a data folder (PGlite is single-process).
      dataDir: flags.dataDir === undefined ? undefined : join(flags.dataDir, flags.as),
      databaseUrl: flags.databaseUrl,
    }).catch((error: Error) => fail(`Could not open the state database: ${error.message} Check --data-dir / --database-url.`));
  }
  const write = createLineWriter((chunk) => process.stdout.write(chunk));
  // --secret, then WEBHOOK_SECRET, then the data folder's own (made once, kept): one secret per checkout.
  // With v1a keys and no v1 secret the mock speaks v1a only (v1.1: a v1a-only receiver refuses v1).
  const given = secretFrom(flags.secret);
  const signingKey = signingKeyFrom(flags.signingKey);
  const verifyKey = verifyKeyFrom(flags.verifyKey);
  const keysOnly = given === undefined && (signingKey !== undefined || verifyKey !== undefined);
  const dir = dataDirectory(flags.dataDir);
  const stored =
    given === undefined && !keysOnly
      ? (() => {
          try {
            return devSecret(dir);
          } catch (error) {
            return fail(`Could not keep the development secret in ${dir}: ${(error as Error).message} Pass --data-dir DIR, or --secret / WEBHOOK_SECRET.`);
          }
        })()
      : undefined;
  const mock = await startMockServer({
    persistence,
    as: flags.as,
    base: flags.base ?? defaultBase[flags.as],
    port: flags.port ?? defaultPort[flags.as],
    host: flags.host,
    secret: given ?? stored?.secret,
    signingKey,
    verifyKey,
    verifySignatures: flags.verifySignatures,
    seed,
    empty: flags.empty,
    dttrackerUrl: flags.dttrackerUrl,
    log: flags.quiet ? false : write,
    logFormat: flags.logFormat,
    maxOffers: offersBound,
  }).catch((error: NodeJS.ErrnoException) =>
    fail(
      error.code === "EADDRINUSE"
        ? `Port ${flags.port ?? defaultPort[flags.as]} on ${flags.host} is in use (another mock, or an example receiver?): stop it, or pick another with --port (0 = any free port).`
        : error.message,
      EXIT.failed,
    ),
  );

  out(`Mock ${parties[flags.as].name} listening on ${mock.origin}`);
  if (!flags.verifySignatures) {
    out("");
    out("!!! WARNING: --no-verify-signatures: UNSIGNED REQUESTS ARE ACCEPTED. Anyone who can reach this port can !!!");
    out("!!! send events. For local contract runs with tools that cannot sign only; never expose this mock.    !!!");
  }
  out("");
  out(
    keysOnly
      ? "Signatures: v1a only (--verify-key / --signing-key or WEBHOOK_VERIFY_KEY / WEBHOOK_SIGNING_KEY); no v1 secret."
      : given !== undefined
        ? `Secret: from ${flags.secret !== undefined ? "--secret" : "WEBHOOK_SECRET"}.`
        : `Secret: ${stored!.source === "created" ? "made now and kept" : "kept"} in ${stored!.path} (the same on every start; --secret or WEBHOOK_SECRET override it).`,
  );
  const party = flags.as === "dobbletap" ? "DOBBLETAP" : "DTTRACKER";
  out("In another terminal, paste:");
  // A secret you gave is never echoed (it may be a real one); the kept development one is, to paste.
  const secretPart = stored !== undefined ? `WEBHOOK_SECRET=${mock.secret} ` : "";
  out(`  export ${secretPart}${party}_URL=${mock.url} ${party}_STATES_URL=${mock.origin}/__mock/provider-states`);
  out(`Inspector: ${mock.origin}/__mock/ (open it in a browser)`);
  out("");
  out(`Webhook routes (${flags.verifySignatures ? "Standard Webhooks signature required" : "signatures NOT checked"}):`);
  for (const route of mock.routes) out(`  POST ${route.url}  (${route.events.join(", ")})`);
  out(`Admin routes (no signature), under ${mock.origin}:`);
  for (const route of mock.adminRoutes) out(`  ${route}`);
  out(
    `State: ${seed ? `seed file ${flags.seed}` : flags.empty ? "empty" : "demo seed"} (${mock.state.summary()}); at most ${offersBound} offers kept (--max-offers)`,
  );
  out(
    `Kept in: ${persistence ? `${persistence.description} (survives a restart; a saved state replaces the seed)` : "memory (lost on exit; --data-dir or --database-url keeps it)"}`,
  );
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
  signingKey?: string;
  set: string[];
  id?: string;
  bearerEnv?: string;
  data?: string;
  dryRun?: boolean;
  showRequest?: boolean;
  json?: boolean;
  withPrerequisites?: boolean;
  expect?: string;
}

/** `--data @file.json` (or inline JSON): the event's data. */
function dataFrom(flag: string | undefined): unknown {
  if (flag === undefined) return undefined;
  const file = flag.startsWith("@") ? flag.slice(1) : undefined;
  let text = flag;
  if (file !== undefined) {
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      fail(`--data @${file}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}.`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    return fail(`--data ${file ? `@${file}` : ""}: not JSON (${(error as Error).message}). Give the event's data object, e.g. --data @offer.json.`);
  }
}

function printRequest(report: TriggerReport): void {
  out(`POST ${report.request.url}`);
  for (const [name, value] of Object.entries(report.request.headers)) out(`${name}: ${value}`);
  out("");
  out(JSON.stringify(JSON.parse(report.request.body), null, 2));
  out("");
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
  const report = await trigger({
    event: event as never,
    to: flags.to,
    secret,
    signingKey,
    set: flags.set,
    id: flags.id,
    bearerToken,
    data: dataFrom(flags.data),
    dryRun: flags.dryRun,
    withPrerequisites: flags.withPrerequisites,
    expect: flags.expect,
  }).catch((error: Error) => (error instanceof TriggerInputError ? fail(error.message) : fail(`Could not send: ${error.message}`, EXIT.failed)));
  const code = report.ok ? EXIT.ok : EXIT.failed;
  if (flags.json) {
    out(JSON.stringify(report, null, 2));
    process.exit(code);
  }
  for (const step of report.prerequisites) out(`${step.ok ? "·" : "✗"} first: ${step.step} ${step.status ?? ""} ${step.verdict}`);
  if (flags.showRequest || flags.dryRun) printRequest(report);
  if (report.dryRun) {
    out("Dry run: nothing sent.");
    process.exit(EXIT.ok);
  }
  out(`→ POST ${flags.to}  ${event}  id ${String(report.envelope.id)}`);
  if (report.requestIssues.length > 0) {
    out(`  (sent on purpose although it breaks the contract: ${report.requestIssues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")})`);
  }
  if (report.status !== undefined) {
    out(`← ${report.status}`);
    out(typeof report.body === "string" ? report.body : JSON.stringify(report.body, null, 2));
  }
  // ✓ only for the answer wanted: a success (or what --expect names); a contract-valid error is still ✗.
  out(`${report.ok ? "✓" : "✗"} ${report.verdict}`);
  process.exit(code);
}

const program = new Command("mock-server")
  .description("Emulates Dobbletap or DTTracker with the contract's rules: inspect, reset, inject faults, fire signed events.")
  // Options after `trigger` belong to trigger (both have --secret).
  .enablePositionalOptions()
  .version(version, "-V, --version", "print the version")
  // Bad usage (a missing or wrong flag) exits 2, as documented; --help and --version exit 0.
  .exitOverride()
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
  .addOption(new Option("--log-format <format>", "per-delivery lines: text, or json (one object a line)").choices(["text", "json"]).default("text"))
  .option(
    "--data-dir <dir>",
    "folder for the mock's own files: its development secret (default .mock-server in the working directory); when given, also the state and remembered deliveries, in a PGlite database (survives a restart)",
  )
  .option("--database-url <url>", "keep the state and remembered deliveries in this PostgreSQL database instead")
  .option(
    "--max-offers <n>",
    `keep at most this many offers, forgetting finished ones first (default: $MOCK_MAX_OFFERS, else ${DEFAULT_MAX_OFFERS})`,
    maxOffers,
  )
  .action((flags: ServeFlags) => serve(flags));

program
  .command("trigger")
  .description("sign and send one contract example (with overrides) to a real endpoint and judge the answer")
  .argument("<event>", `one of: ${eventNames.join(", ")}`)
  .requiredOption("--to <url>", "the full URL of the receiving endpoint")
  .option("--secret <whsec>", "v1 signing secret (default: $WEBHOOK_SECRET)")
  .option("--signing-key <whsk>", "v1a secret key to sign with (default: $WEBHOOK_SIGNING_KEY); with --secret too, both signatures")
  .option(
    "--set <path=value>",
    "override a field, e.g. data.creators.0.status=pending (repeatable; JSON values parse)",
    (value: string, all: string[]) => [...all, value],
    [] as string[],
  )
  .option("--id <uuid>", "the event id (default: a fresh UUID)")
  .option("--bearer-env <name>", "send Authorization: Bearer with the token in this environment variable")
  .option("--data <json|@file>", "the event's data instead of the example's (--set applies on top)")
  .option("--with-prerequisites", "first send what the event needs (the campaign before an offer; an offer, on a mock, before an accept)")
  .option("--expect <code|status>", "the answer wanted when it is not a success, e.g. CAMPAIGN_NOT_FOUND or 404 (✓ and exit 0 then)")
  .option("--dry-run", "print the signed request, send nothing")
  .option("--show-request", "print the signed request before sending")
  .option("--json", "print one JSON report (request, prerequisites, answer, verdict) instead of text")
  .action((event: string, flags: TriggerFlags) => fire(event, flags));

// `pnpm mock -- --as dttracker` passes the `--` through; it would end option parsing.
const argv = process.argv.slice(2);
if (argv[0] === "--") argv.shift();
program.parseAsync(argv, { from: "user" }).catch((error: Error) => {
  // Commander has already printed its message (and the help or version).
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  fail(error instanceof SeedError ? error.message : error.message, EXIT.failed);
});
