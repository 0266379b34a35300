// `mock-server trigger` as a person uses it, against mock servers in this process: what it prints,
// when it says ✓, and its exit codes (0 the answer wanted, 1 a contract or delivery failure, 2 bad
// usage, before anything is sent).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { events } from "@dttracker-dobbletap/contracts";
import { startMockServer, type RunningMockServer } from "@dttracker-dobbletap/mock-server";
import { generateSecret } from "@dttracker-dobbletap/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { root, runCli } from "./spawn.js";

const secret = generateSecret();
const env = { WEBHOOK_SECRET: secret };
let dobbletap: RunningMockServer;
let dttracker: RunningMockServer;
const toDobbletap = () => `${dobbletap.url}/webhooks/dttracker`;
const toDttracker = () => `${dttracker.url}/dobbletap-webhooks`;

beforeAll(async () => {
  dobbletap = await startMockServer({ as: "dobbletap", secret, empty: true });
  dttracker = await startMockServer({ as: "dttracker", secret, empty: true });
});
afterAll(async () => {
  await Promise.all([dobbletap?.close(), dttracker?.close()]);
});
beforeEach(async () => {
  for (const mock of [dobbletap, dttracker]) await fetch(`${mock.origin}/__mock/reset`, { method: "POST", body: '{"empty":true}' });
});

describe("trigger: ✓ and exit codes", () => {
  it("a contract-valid error answer is ✗ and exit 1 (offer_sent at a fresh receiver: 404)", async () => {
    const run = await runCli(["trigger", "offer_sent", "--to", toDobbletap()], env);
    expect(run.output).toContain("← 404");
    expect(run.output).toContain("✗ Contract-valid error answer: CAMPAIGN_NOT_FOUND");
    expect(run.output).not.toContain("✓");
    expect(run.code).toBe(1);
  });

  it("--expect CAMPAIGN_NOT_FOUND makes that answer the wanted one: ✓ and exit 0", async () => {
    const run = await runCli(["trigger", "offer_sent", "--to", toDobbletap(), "--expect", "CAMPAIGN_NOT_FOUND"], env);
    expect(run.output).toContain("✓ Contract-valid error answer: CAMPAIGN_NOT_FOUND");
    expect(run.code).toBe(0);
    // An expected code that did not come is a failure.
    const other = await runCli(["trigger", "offer_sent", "--to", toDobbletap(), "--expect", "INVALID_STATE"], env);
    expect(other.code).toBe(1);
  });

  it("no answer at all (nothing listens) is ✗ and exit 1", async () => {
    const closed = await startMockServer({ secret });
    const url = `${closed.url}/webhooks/dttracker`;
    await closed.close();
    const run = await runCli(["trigger", "campaign_created", "--to", url], env);
    expect(run.output).toMatch(/✗ No answer: .*ECONNREFUSED/);
    expect(run.code).toBe(1);
  });

  it.each([
    [["trigger", "offer_sent"], /required option '--to <url>'/],
    [["trigger", "offer_snt", "--to", "http://127.0.0.1:9/x"], /Unknown event "offer_snt"/],
    [["trigger", "offer_sent", "--to", "not a url"], /--to "not a url" is not a URL/],
    [["trigger", "offer_sent", "--to", "http://127.0.0.1:9/x", "--bogus"], /unknown option '--bogus'/],
    [["--port", "70000"], /must be a port number/],
    [["--as", "brand"], /Allowed choices are dobbletap, dttracker/],
  ])("bad usage %j exits 2 with what was wrong", async (args, message) => {
    const run = await runCli(args, env);
    expect(run.output).toMatch(message);
    expect(run.code).toBe(2);
  });

  it("--version prints the package version and exits 0, on both bins", async () => {
    const run = await runCli(["--version"]);
    expect(run.output.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.code).toBe(0);
    const verify = await runCli(["--import", "tsx", join(root, "packages/sdk/src/verify-cli.ts"), "--version"], {}, root, true);
    expect(verify.output.trim()).toBe(run.output.trim());
    expect(verify.code).toBe(0);
  });
});

describe("trigger: --set paths", () => {
  it("a path that does not exist is exit 2 naming the closest real path, and nothing is sent", async () => {
    const run = await runCli(["trigger", "offer_sent", "--to", toDobbletap(), "--set", "data.ofer.amount.amountMinor=5"], env);
    expect(run.output).toContain('--set path "data.ofer.amount.amountMinor" does not exist in this event. Did you mean data.offer.amount.amountMinor?');
    expect(run.code).toBe(2);
    expect(dobbletap.events.total).toBe(0);
  });

  it("array indices and optional fields the example lacks are real paths", async () => {
    const run = await runCli(["trigger", "offer_sent", "--to", toDobbletap(), "--set", "data.offer.message=hello", "--dry-run"], env);
    expect(run.code).toBe(0);
    const sync = await runCli(["trigger", "creators_synced", "--to", toDttracker(), "--set", "data.creators.0.handle=other", "--dry-run"], env);
    expect(sync.code).toBe(0);
  });
});

describe("trigger: --dry-run, --show-request, --json, --data", () => {
  it("--dry-run prints the signed request and sends nothing", async () => {
    const run = await runCli(["trigger", "campaign_created", "--to", toDobbletap(), "--dry-run"], env);
    expect(run.code).toBe(0);
    expect(run.output).toContain(`POST ${toDobbletap()}`);
    expect(run.output).toMatch(/^webhook-signature: v1,[A-Za-z0-9+/=]+$/m);
    expect(run.output).toContain('"event": "campaign_created"');
    expect(run.output).toContain("Dry run: nothing sent.");
    expect(run.output).not.toContain(secret);
    expect(dobbletap.events.total).toBe(0);
  });

  it("--show-request prints the request, then sends it", async () => {
    const run = await runCli(["trigger", "campaign_created", "--to", toDobbletap(), "--show-request"], env);
    expect(run.output).toMatch(/^webhook-id: [0-9a-f-]{36}$/m);
    expect(run.output).toContain("✓ Contract-valid success");
    expect(dobbletap.events.total).toBe(1);
  });

  it("--json prints one parseable report with the answer and the verdict", async () => {
    const run = await runCli(["trigger", "campaign_created", "--to", toDobbletap(), "--json"], env);
    const report = JSON.parse(run.output);
    expect(report).toMatchObject({ ok: true, status: 200, synced: true, body: { success: true } });
    expect(report.request.headers["webhook-signature"]).toMatch(/^v1,/);
    expect(run.code).toBe(0);
  });

  it("--data @file.json sends that data; a missing or non-JSON file is exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "trigger-data-"));
    const file = join(dir, "campaign.json");
    const campaign = { ...events.campaign_created.example.data.campaign, id: crypto.randomUUID(), title: "From a file" };
    writeFileSync(file, JSON.stringify({ campaign }));
    const run = await runCli(["trigger", "campaign_created", "--to", toDobbletap(), "--data", `@${file}`], env);
    expect(run.code).toBe(0);
    expect(dobbletap.state.campaigns.get(campaign.id)?.title).toBe("From a file");
    expect((await runCli(["trigger", "campaign_created", "--to", toDobbletap(), "--data", `@${dir}/nope.json`], env)).code).toBe(2);
    writeFileSync(file, "{ not json");
    const broken = await runCli(["trigger", "campaign_created", "--to", toDobbletap(), "--data", `@${file}`], env);
    expect(broken.output).toMatch(/not JSON/);
    expect(broken.code).toBe(2);
  });
});

describe("trigger: --with-prerequisites", () => {
  it("offer_sent at an empty Dobbletap: the creator (a provider state) and the campaign first, then the offer succeeds", async () => {
    const run = await runCli(["trigger", "offer_sent", "--to", toDobbletap(), "--with-prerequisites"], env);
    expect(run.output).toContain('first: state "a creator exists"');
    expect(run.output).toContain("first: event campaign_created 200");
    expect(run.output).toContain("✓ Contract-valid success");
    expect(run.code).toBe(0);
    expect(dobbletap.state.offers.get(events.offer_sent.example.data.offer.id)?.status).toBe("offered");
  });

  it("the campaign follows a --set on the offer's campaignId", async () => {
    const campaignId = crypto.randomUUID();
    const run = await runCli(
      [
        "trigger",
        "offer_sent",
        "--to",
        toDobbletap(),
        "--with-prerequisites",
        "--set",
        `data.offer.campaignId=${campaignId}`,
        "--set",
        `data.offer.id=${crypto.randomUUID()}`,
      ],
      env,
    );
    expect(run.code).toBe(0);
    expect(dobbletap.state.campaigns.has(campaignId)).toBe(true);
  });

  it("offer_accepted at an empty DTTracker: the offer is set up first (a provider state), then accepted", async () => {
    const bare = await runCli(["trigger", "offer_accepted", "--to", toDttracker()], env);
    expect(bare.output).toContain("OFFER_NOT_FOUND");
    const run = await runCli(["trigger", "offer_accepted", "--to", toDttracker(), "--with-prerequisites"], env);
    expect(run.output).toContain('first: state "an offer exists"');
    expect(run.code).toBe(0);
    expect(dttracker.state.offers.get(events.offer_accepted.example.data.offerId)?.status).toBe("accepted");
  });
});
