/**
 * The idea: a provider proves it honours the contract by replaying the consumer's pact against itself
 * with the contracts package's verify command; here the provider is the mock server, so the CI recipe
 * in README.md is exercised end to end on every run. The pact comes from the repository's `pacts/`
 * (written by `pnpm test:pact`); each interaction's provider state is set through the mock's
 * `POST /__mock/provider-states`, and each request is re-signed with the provider's secret, which only
 * ever travels in an environment variable named by --secret-env. A passing run exits 0 with the pass
 * line; the same run with a secret the provider does not hold must fail, or the pass means nothing.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { verifyAgainstMock, verifyArgs } from "./verify-against-mock.js";

// Generated here, never written anywhere: a well-formed secret the mock does not hold.
const foreignSecret = () => `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64")}`;

describe("dttracker-dobbletap-verify against the mock server", () => {
  it("--provider dobbletap exits 0 and prints the pass line", async () => {
    const { exitCode, output, command } = await verifyAgainstMock({ provider: "dobbletap" });
    expect(exitCode, output).toBe(0);
    expect(output).toMatch(/dobbletap at http:\/\/127\.0\.0\.1:\d+\/functions\/v1\/make-server-8061e72e: all \d+ interactions pass\./);
    expect(output).toContain("✓ offer_sent before its campaign was synced");
    expect(command).toMatch(/--states-url http:\/\/127\.0\.0\.1:\d+\/__mock\/provider-states --secret-env WEBHOOK_SECRET$/);
  }, 30_000);

  it("--provider dttracker exits 0 and prints the pass line", async () => {
    const { exitCode, output } = await verifyAgainstMock({ provider: "dttracker" });
    expect(exitCode, output).toBe(0);
    expect(output).toMatch(/dttracker at http:\/\/127\.0\.0\.1:\d+\/functions\/v1: all \d+ interactions pass\./);
  }, 30_000);

  it("with a secret the provider does not hold, exits 1 and names what failed", async () => {
    const { exitCode, output } = await verifyAgainstMock({ provider: "dobbletap", wrongSecret: foreignSecret() });
    expect(exitCode).toBe(1);
    expect(output).toMatch(/dobbletap at \S+: \d+ of \d+ interactions fail/);
    expect(output).toContain("hint: Every interaction was refused with 401: the key does not match the provider's.");
  }, 30_000);
});

describe("README.md's CI recipe", () => {
  const readme = readFileSync(new URL("./README.md", import.meta.url), "utf8");
  const ciCommand = /run: >\n([\s\S]*?)\n```/.exec(readme)?.[1]?.replace(/\s+/g, " ").trim() ?? "";

  it("runs the verify command with the flags this test runs it with", async () => {
    const flags = (command: string) => [...command.matchAll(/--[a-z-]+/g)].map(([flag]) => flag);
    expect(ciCommand).toMatch(/^npx dttracker-dobbletap-verify /);
    const tested = verifyArgs({ provider: "dobbletap", baseUrl: "url", statesUrl: "url" }).join(" ");
    // The deployment adds only the gateway key; everything else is what ran against the mock above.
    expect(flags(ciCommand)).toEqual([...flags(tested), "--bearer-env"]);
    expect(ciCommand).toContain("--provider dobbletap");
    expect(ciCommand).toContain("--secret-env WEBHOOK_SECRET");
  });

  it("takes the secret and the key from the CI secret store, never as literals", () => {
    expect(readme).toContain("WEBHOOK_SECRET: ${{ secrets.");
    expect(readme).toContain("SUPABASE_ANON_KEY: ${{ secrets.");
    expect(readme).not.toMatch(/whsec_[A-Za-z0-9+/]{8,}/);
    expect(readme).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});
