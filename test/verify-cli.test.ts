/**
 * `dttracker-dobbletap-verify` as CI runs it: the built bin, a separate process. Each setup mistake a
 * team makes (wrong or dead base URL, dead or unwired states URL, a malformed or wrong key) must
 * fail in seconds with exit 2 (setup) or 1 (mismatch) and a line that names the fix; a mismatch
 * must be told in plain words; the JUnit and JSON reports must be machine-readable.
 */
import { stripVTControlCharacters } from "node:util";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { contractInteractions, participants, type VerificationReport } from "@dttracker-dobbletap/contracts/pact";
import { createProviderStates, createWebhookReceiver, generateSecret } from "@dttracker-dobbletap/sdk";
import { toNodeListener } from "@dttracker-dobbletap/sdk/node";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDttrackerServer } from "../examples/dttracker-receiver-node/server.js";
import { createStore, creatorSyncHandlers, offerStatusHandlers } from "../examples/dttracker-receiver-node/store.js";
import { runVerifyCli } from "./support/verify-cli.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const secret = generateSecret();
const dttrackerInteractions = contractInteractions().filter((interaction) => interaction.provider === participants.dttracker);
let provider: Awaited<ReturnType<typeof startDttrackerServer>>;

beforeAll(async () => {
  provider = await startDttrackerServer({ secret, providerStates: true });
});
afterAll(() => provider.close());

const statesUrl = () => `${provider.url}/__pact/states`;
const verify = (args: string[], env: Record<string, string> = { WEBHOOK_SECRET: secret }) => runVerifyCli(root, ["--provider", "dttracker", ...args], env);

/** A port nothing listens on: bound once, then closed. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/functions/v1`;
}

/** A provider that answers every webhook "success" with an offer status the contract does not have. */
async function brokenProvider(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    let raw = "";
    request.on("data", (chunk: Buffer) => (raw += chunk));
    request.on("end", () => {
      response.setHeader("content-type", "application/json");
      const id = (JSON.parse(raw || "{}") as { id?: string }).id;
      response.end(JSON.stringify({ success: true, eventId: id, result: { type: "offer", id: "0c0ffee0-0000-4000-8000-000000000002", status: "pending" } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/functions/v1`, server };
}

describe("dttracker-dobbletap-verify against a correct SDK-built provider", () => {
  it("exits 0 with one ✓ line per interaction and no ANSI escapes when not on a TTY", async () => {
    const run = await verify(["--base-url", provider.url, "--states-url", statesUrl()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(stripVTControlCharacters(run.stdout));
    const lines = run.stdout.split("\n").filter((line) => /^[✓✗] /.test(line));
    expect(lines).toHaveLength(dttrackerInteractions.length);
    expect(lines.every((line) => line.startsWith("✓ "))).toBe(true);
    expect(run.stdout).toContain("→ 404 OFFER_NOT_FOUND");
  });

  it("--junit FILE writes valid JUnit XML with one passing test case per interaction", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "verify-junit-")), "pact.xml");
    const run = await verify(["--base-url", provider.url, "--states-url", statesUrl(), "--junit", file]);
    expect(run.code).toBe(0);
    const xml = readFileSync(file, "utf8");
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === "testcase" || name === "testsuite" }).parse(xml) as {
      testsuites: { testsuite: Array<{ "@_tests": string; "@_failures": string; testcase: Array<{ "@_name": string; failure?: unknown }> }> };
    };
    const cases = parsed.testsuites.testsuite.flatMap((suite) => suite.testcase);
    expect(cases.map((c) => c["@_name"]).sort()).toEqual(dttrackerInteractions.map((i) => i.description).sort());
    expect(cases.some((c) => c.failure !== undefined)).toBe(false);
    expect(parsed.testsuites.testsuite[0]!["@_failures"]).toBe("0");
  });

  it("--interaction TEXT runs only the matching interaction; --json prints the report", async () => {
    const run = await verify(["--base-url", provider.url, "--states-url", statesUrl(), "--interaction", "never sent", "--json"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as VerificationReport;
    expect(report.interactions.map((i) => i.description)).toEqual(["offer_accepted for an offer DTTracker never sent"]);
    expect(report.interactions[0]).toMatchObject({ passed: true, expected: "404 OFFER_NOT_FOUND", states: ["no offer exists"] });
  });

  it("--interaction that matches nothing is a setup problem (exit 2)", async () => {
    const run = await verify(["--base-url", provider.url, "--states-url", statesUrl(), "--interaction", "no such interaction"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('No interaction matches --interaction "no such interaction".');
  });
});

describe("dttracker-dobbletap-verify on setup mistakes: exit 2 in seconds, naming the fix", () => {
  it("an unreachable --base-url", async () => {
    const dead = await deadUrl();
    const run = await verify(["--base-url", dead, "--states-url", `${dead}/__pact/states`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`✗ setup: --base-url ${dead}: nothing answers (ECONNREFUSED). Start the provider or fix --base-url.`);
    expect(run.ms).toBeLessThan(15_000);
  });

  it("an unreachable --states-url", async () => {
    const dead = await deadUrl();
    const run = await verify(["--base-url", provider.url, "--states-url", `${dead}/__pact/states`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--states-url ${dead}/__pact/states: nothing answers (ECONNREFUSED). Start the provider or fix --states-url.`);
    expect(run.ms).toBeLessThan(15_000);
  });

  it("a --states-url where nothing is mounted", async () => {
    const run = await verify(["--base-url", provider.url, "--states-url", `${provider.url}/no-states-here`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("answered a no-op state change with HTTP 404: the states URL is not wired. Mount createProviderStates there");
    expect(run.ms).toBeLessThan(15_000);
  });

  it("a key the provider does not hold, with a states URL: refused in preflight", async () => {
    const run = await verify(["--base-url", provider.url, "--states-url", statesUrl()], { WEBHOOK_SECRET: generateSecret() });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("refused the signed state change (HTTP 401): the key in $WEBHOOK_SECRET does not match the provider's.");
    expect(run.ms).toBeLessThan(15_000);
  });

  it("a malformed key, or none", async () => {
    const malformed = await verify(["--base-url", provider.url], { WEBHOOK_SECRET: "not-a-secret" });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("$WEBHOOK_SECRET is not a signing key: it must start with whsec_ (v1) or whsk_ (v1a).");
    const none = await verify(["--base-url", provider.url, "--secret-env", "NO_SUCH_VARIABLE_FOR_VERIFY"], {});
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("The signing key is read from $NO_SUCH_VARIABLE_FOR_VERIFY, which is not set");
  });

  it("a provider that never answers: --timeout bounds the wait", async () => {
    // Accepts the connection, never answers: what a hung function or a black-holed port does.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/functions/v1`;
      const run = await verify(["--base-url", url, "--timeout", "1000"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`--base-url ${url}: no answer within 1000 ms (--timeout). Start the provider or fix --base-url.`);
      expect(run.ms).toBeLessThan(5_000);
      const bad = await verify(["--base-url", url, "--timeout", "soon"]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("must be a positive whole number of milliseconds");
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("an unreachable Pact Broker (--broker-url, $PACT_BROKER_TOKEN): the broker path reaches Pact, which names it", async () => {
    const dead = new URL(await deadUrl()).origin;
    const run = await verify(["--base-url", provider.url, "--states-url", statesUrl(), "--broker-url", dead], {
      WEBHOOK_SECRET: secret,
      PACT_BROKER_TOKEN: "made-up-broker-token",
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`No pacts found for provider 'DTTracker' matching the given consumer version selectors in pact broker '${dead}'`);
    expect(run.ms).toBeLessThan(15_000);
  });

  it("a missing or unknown option", async () => {
    const missing = await verify([]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--base-url <url>' not specified");
    const bad = await runVerifyCli(root, ["--provider", "someone", "--base-url", provider.url], { WEBHOOK_SECRET: secret });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--provider.*dobbletap, dttracker/);
  });
});

describe("dttracker-dobbletap-verify on mismatches: exit 1, told in plain words", () => {
  it("a wrong key with no states URL: every interaction 401, and the hint says the key does not match", async () => {
    const run = await verify(["--base-url", provider.url], { WEBHOOK_SECRET: generateSecret() });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("warning: no --states-url");
    expect(run.stdout).toContain("hint: Every interaction was refused with 401: the key does not match the provider's. Set $WEBHOOK_SECRET");
    expect(run.stdout).toContain("✗ offer_accepted for an offer DTTracker never sent: expected 404 OFFER_NOT_FOUND, got 401 UNAUTHORIZED");
    expect(run.ms).toBeLessThan(15_000);
  });

  it("a provider that answers a status the contract does not have: the difference names the field and both values", async () => {
    const broken = await brokenProvider();
    try {
      const file = join(mkdtempSync(join(tmpdir(), "verify-junit-")), "pact.xml");
      const run = await verify(["--base-url", broken.url, "--junit", file]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("$.result.status: expected accepted, got pending");
      expect(run.stdout).toMatch(/\d+ of \d+ interactions fail/);
      // The report is Pact's, parsed: none of its own wording or colours leak through.
      expect(run.stdout).not.toContain("There were");
      const xml = readFileSync(file, "utf8");
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(xml).toContain('<failure message="$.result.status: expected accepted, got pending" type="ContractMismatch">');
    } finally {
      broken.server.close();
    }
  });

  it("a provider-state handler that throws: its interactions fail with the handler's message, and a hint", async () => {
    const boom = () => {
      throw new Error("relation offers does not exist");
    };
    const store = createStore();
    const states = toNodeListener(createProviderStates({ party: "dttracker", enabled: true, secret, handlers: { offerPending: boom, offerMissing: boom } }));
    const sync = toNodeListener(createWebhookReceiver({ endpoint: "dttracker.creator-sync", secrets: secret, handlers: creatorSyncHandlers(store) }));
    const decisions = toNodeListener(createWebhookReceiver({ endpoint: "dttracker.webhooks", secrets: secret, handlers: offerStatusHandlers(store) }));
    const server = createServer((request, response) => {
      const path = request.url ?? "";
      if (path.endsWith("/__pact/states")) return states(request, response);
      return (path.endsWith("/creator-sync-from-dobbletap") ? sync : decisions)(request, response);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/functions/v1`;
      const run = await verify(["--base-url", url, "--states-url", `${url}/__pact/states`]);
      expect(run.code).toBe(1);
      // "never sent" would pass by luck (no offer exists anyway); its state failed, so it fails.
      expect(run.stdout).toMatch(/^✗ offer_accepted for an offer DTTracker never sent/m);
      expect(run.stdout).toContain(`The handler for "no offer exists" (setup) threw: relation offers does not exist`);
      expect(run.stdout).toContain("provider state(s) could not be set up");
      expect(run.stdout).toMatch(/^✓ creators_synced with a batch of creators/m);
    } finally {
      server.close();
    }
  });
});
