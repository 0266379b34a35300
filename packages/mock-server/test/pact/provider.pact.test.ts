/**
 * The provider side of the contract: the mock server, as Dobbletap and as DTTracker, must honour
 * every interaction the consumers recorded in pacts/. Provider states are set through the mock's
 * Pact state-change endpoint; every replayed request is re-signed with the provider's test secret
 * (recorded timestamps are stale by design). Run after the consumer tests, which write the pacts.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parties } from "@dttracker-dobbletap/contracts";
import { shippedPactFor, verifyProvider, type SignRequest } from "@dttracker-dobbletap/contracts/pact";
import { createSigner, generateKeyPair, generateSecret } from "@dttracker-dobbletap/sdk";
import { describe, expect, it } from "vitest";
import { startMockServer } from "../../src/index.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const providers = ["dobbletap", "dttracker"] as const;
const sign: SignRequest = (secret, id, body) => createSigner(secret).headers(id, body);

describe.each(providers)("verifyProvider() against the mock server as %s", (provider) => {
  it("passes every interaction of the pact", async () => {
    const secret = generateSecret();
    const mock = await startMockServer({ as: provider, port: 0, secret, log: () => {} });
    try {
      const output = await verifyProvider({
        provider,
        baseUrl: mock.url,
        statesUrl: `${mock.origin}/__mock/provider-states`,
        secret,
        sign,
        pactFiles: [shippedPactFor(provider)],
      });
      expect(output.passed).toBe(true);
      expect(output.interactions.every((interaction) => interaction.passed)).toBe(true);
    } finally {
      await mock.close();
    }
  });
});

describe.each(providers)("verifyProvider() with a v1a key against the mock server as %s (v1.1)", (provider) => {
  it("re-signs each replay with the whsk_ it is given; a v1a-only provider holding the whpk_ passes every interaction", async () => {
    const consumerKeys = await generateKeyPair();
    const mock = await startMockServer({ as: provider, port: 0, verifyKey: consumerKeys.publicKey, log: () => {} });
    try {
      const output = await verifyProvider({
        provider,
        baseUrl: mock.url,
        statesUrl: `${mock.origin}/__mock/provider-states`,
        secret: consumerKeys.secretKey,
        sign,
        pactFiles: [shippedPactFor(provider)],
      });
      expect(output).toBeDefined();
    } finally {
      await mock.close();
    }
  });
});

// A provider that breaks the contract is verified in test/verify-cli.test.ts, through the CLI, whose
// table is what a user reads (and whose child process keeps Pact's own failure output out of this run).

describe("the standalone pact-verifier from @pact-foundation/pact-cli", () => {
  it.each(providers)("verifies the %s pact against the mock started with --no-verify-signatures", async (provider) => {
    const mock = spawn(
      process.execPath,
      [
        "--conditions=@dttracker-dobbletap/source",
        "--import",
        "tsx",
        "packages/mock-server/src/cli.ts",
        "--as",
        provider,
        "--port",
        "0",
        "--no-verify-signatures",
      ],
      { cwd: root, env: { ...process.env, NO_COLOR: "1" } },
    );
    try {
      const origin = await new Promise<string>((resolve, reject) => {
        let seen = "";
        mock.stdout.on("data", (chunk: Buffer) => {
          seen += chunk;
          const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(seen);
          if (match) resolve(match[0]);
        });
        mock.once("exit", (code) => reject(new Error(`mock server exited with ${code}: ${seen}`)));
      });
      const { port } = new URL(origin);
      const verifier = spawn(
        `${root}node_modules/.bin/pact-verifier`,
        [
          "--file",
          shippedPactFor(provider),
          "--hostname",
          "127.0.0.1",
          "--port",
          port,
          "--base-path",
          parties[provider].basePath,
          "--state-change-url",
          `${origin}/__mock/provider-states`,
          "--state-change-teardown",
          "--no-colour",
        ],
        { cwd: root, env: { ...process.env, PACT_DO_NOT_TRACK: "true" } },
      );
      let output = "";
      verifier.stdout.on("data", (chunk: Buffer) => (output += chunk));
      verifier.stderr.on("data", (chunk: Buffer) => (output += chunk));
      const code = await new Promise<number | null>((resolve) => verifier.once("exit", resolve));
      expect(output).not.toMatch(/FAILED/);
      expect(code, output).toBe(0);
    } finally {
      mock.kill("SIGTERM");
    }
  });
});
