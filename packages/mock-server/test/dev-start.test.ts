// Living with the mock day to day: `pnpm mock` (scripts/run-dev.mjs) never races with another start,
// the development secret stays the same across starts of one data folder and is printed as one
// `export` line, a port in use is one clean line, and `--log-format json` prints one object a line.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDobbletapClient, generateSecret } from "@dttracker-dobbletap/sdk";
import { events } from "@dttracker-dobbletap/contracts";
import { describe, expect, it } from "vitest";
import { root, runCli, spawnMock } from "./spawn.js";

const runDev = join(root, "packages/mock-server/scripts/run-dev.mjs");
const exportLine = (output: string) => /^ {2}export WEBHOOK_SECRET=(\S+) (\w+)_URL=(\S+) \w+_STATES_URL=(\S+)$/m.exec(output);

/** Starts run-dev.mjs and resolves with its origin once it listens (bounded). */
function startDev(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [runDev, ...args], { cwd: root, env: { ...process.env, WEBHOOK_SECRET: "", NO_COLOR: "1", ...env } });
  let seen = "";
  child.stdout.on("data", (chunk: Buffer) => (seen += chunk));
  child.stderr.on("data", (chunk: Buffer) => (seen += chunk));
  const listening = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start within 20 s: ${seen}`)), 20_000);
    child.stdout.on("data", () => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match && /State: /.test(seen)) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${seen}`)));
  });
  return { listening, output: () => seen, stop: () => child.kill("SIGTERM") };
}

describe("pnpm mock (scripts/run-dev.mjs)", () => {
  it("two starts at the same moment, both bundling from source into one cache, both listen", async () => {
    const cache = (mkdirSync(join(root, "node_modules", ".cache"), { recursive: true }), mkdtempSync(join(root, "node_modules", ".cache", "mock-dev-cache-")));
    const data = mkdtempSync(join(tmpdir(), "mock-dev-data-"));
    const env = { MOCK_SERVER_FROM_SOURCE: "1", MOCK_SERVER_CACHE_DIR: cache };
    const a = startDev(["--port", "0", "--data-dir", data], env);
    const b = startDev(["--as", "dttracker", "--port", "0", "--data-dir", data], env);
    try {
      const [originA, originB] = await Promise.all([a.listening, b.listening]);
      expect((await fetch(`${originA}/__mock/state`)).status).toBe(200);
      expect((await fetch(`${originB}/__mock/state`)).status).toBe(200);
      expect(statSync(join(cache, "cli.mjs")).size).toBeGreaterThan(10_000);
      // One data folder, one secret, even when both made it at the same moment.
      expect(exportLine(a.output())?.[1]).toBe(exportLine(b.output())?.[1]);
    } finally {
      a.stop();
      b.stop();
    }
  }, 60_000);
});

describe("the development secret", () => {
  it("is made once per --data-dir, kept (0600, ignored by git) and printed as one export line with the URLs", async () => {
    const data = mkdtempSync(join(tmpdir(), "mock-secret-"));
    const first = await spawnMock(["--data-dir", data], { WEBHOOK_SECRET: "" });
    await first.stop();
    const second = await spawnMock(["--data-dir", data], { WEBHOOK_SECRET: "" });
    try {
      const [, secret, party, url] = exportLine(second.output())!;
      expect(exportLine(first.output())![1]).toBe(secret);
      expect(first.output()).toContain("made now and kept");
      expect(second.output()).toMatch(/Secret: kept in .*secret/);
      expect(readFileSync(join(data, "secret"), "utf8").trim()).toBe(secret);
      expect(statSync(join(data, "secret")).mode & 0o077).toBe(0);
      expect(readFileSync(join(data, ".gitignore"), "utf8")).toMatch(/^\*$/m);
      expect(party).toBe("DOBBLETAP");
      // The printed values work as printed: the SDK delivers with them.
      const sent = await createDobbletapClient({ baseUrl: url!, secret: secret! }).campaignCreated(events.campaign_created.example.data);
      expect(sent.success).toBe(true);
    } finally {
      await second.stop();
    }
  });

  it("WEBHOOK_SECRET and --secret win over the kept one, and no file is made", async () => {
    const data = mkdtempSync(join(tmpdir(), "mock-secret-"));
    const mock = await spawnMock(["--data-dir", data], { WEBHOOK_SECRET: generateSecret() });
    try {
      expect(mock.output()).toContain("Secret: from WEBHOOK_SECRET.");
      // Given, it is not echoed: the export line carries the URLs only.
      expect(mock.output()).toMatch(/^ {2}export DOBBLETAP_URL=\S+ DOBBLETAP_STATES_URL=\S+$/m);
      expect(() => statSync(join(data, "secret"))).toThrow();
    } finally {
      await mock.stop();
    }
  });
});

describe("start-up errors and log format", () => {
  it("a port in use is one line naming the port and what to do, exit 1", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await runCli(["--port", String(port), "--data-dir", mkdtempSync(join(tmpdir(), "mock-port-"))]);
      expect(run.output.trim().split("\n")).toEqual([
        `mock-server: Port ${port} on 127.0.0.1 is in use (another mock, or an example receiver?): stop it, or pick another with --port (0 = any free port).`,
      ]);
      expect(run.code).toBe(1);
    } finally {
      blocker.close();
    }
  });

  it("the Node example receiver says the same in one line, not a stack", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const run = await runCli(
        ["--import", "tsx", "server.ts"],
        { WEBHOOK_SECRET: generateSecret(), PORT: String(port) },
        join(root, "examples/dttracker-receiver-node"),
        true,
      );
      expect(run.output.trim().split("\n")).toEqual([`Port ${port} is in use: stop what listens there, or set PORT to another one.`]);
      expect(run.code).toBe(1);
    } finally {
      blocker.close();
    }
  });

  it("--log-format json prints one JSON object per delivery, without bodies", async () => {
    const mock = await spawnMock(["--log-format", "json"], { WEBHOOK_SECRET: "" });
    try {
      const [, secret, , url] = exportLine(mock.output())!;
      await createDobbletapClient({ baseUrl: url!, secret: secret! }).campaignCreated(events.campaign_created.example.data);
      await expect
        .poll(
          () =>
            mock
              .output()
              .split("\n")
              .some((line) => line.startsWith("{")),
          { timeout: 5_000 },
        )
        .toBe(true);
      const line = JSON.parse(
        mock
          .output()
          .split("\n")
          .find((l) => l.startsWith("{"))!,
      );
      expect(line).toMatchObject({ direction: "in", status: 200, event: "campaign_created", signature: "verified", result: { type: "campaign" } });
      expect(line.request).toBeUndefined();
    } finally {
      await mock.stop();
    }
  });
});
