/**
 * The idea: DTTracker's receivers, built with the SDK as the README shows and with createProviderStates
 * mounted, pass the contract verification a team runs in CI — the documented command,
 * `dttracker-dobbletap-verify --provider dttracker --base-url … --states-url …`, against the shipped pact.
 */
import { fileURLToPath } from "node:url";
import { generateSecret } from "@dttracker-dobbletap/sdk";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runVerifyCli } from "../../test/support/verify-cli.js";
import { startDttrackerServer } from "./server.js";

const here = fileURLToPath(new URL(".", import.meta.url));
const secret = generateSecret();
let server: Awaited<ReturnType<typeof startDttrackerServer>>;

beforeAll(async () => {
  server = await startDttrackerServer({ secret, providerStates: true });
});
afterAll(() => server.close());

const verify = (env: Record<string, string> = { WEBHOOK_SECRET: secret }) =>
  runVerifyCli(here, ["--provider", "dttracker", "--base-url", server.url, "--states-url", `${server.url}/__pact/states`], env);

it("passes dttracker-dobbletap-verify against the DTTracker pact, twice in a row", async () => {
  for (const run of [await verify(), await verify()]) {
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/all \d+ interactions pass/);
  }
}, 60_000);

it("with the provider-state route not enabled, fails in preflight (exit 2) naming the states URL", async () => {
  const disabled = await startDttrackerServer({ secret });
  try {
    const run = await runVerifyCli(here, ["--provider", "dttracker", "--base-url", disabled.url, "--states-url", `${disabled.url}/__pact/states`], {
      WEBHOOK_SECRET: secret,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the states URL is not wired. Mount createProviderStates there, enabled on this deployment");
    expect(run.ms).toBeLessThan(15_000);
  } finally {
    await disabled.close();
  }
});

it("with another key, fails in preflight (exit 2): the states route refuses the signature", async () => {
  const run = await verify({ WEBHOOK_SECRET: generateSecret() });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("the key in $WEBHOOK_SECRET does not match the provider's");
  expect(run.ms).toBeLessThan(15_000);
});
