/**
 * The README is part of the product: a snippet that does not run is a bug, and so is one that does
 * not compile. Every code block in it runs here. The TypeScript blocks, from the packed tarballs of
 * the three packages installed with plain npm into a scratch project outside the workspace (as an
 * integrator installs them), type-check with `tsc --strict` and with `deno check`, as written, and
 * run under Node ESM, Node CJS and Deno against mock servers (running strips the types, so only the
 * checks catch a block that runs but does not compile). The shell blocks run in that project too.
 * Needs the packages built (`pnpm test` builds first).
 */
import { execFile, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { generateSecret } from "@dttracker-dobbletap/sdk";
import { startMockServer } from "@dttracker-dobbletap/mock-server";
import { transformSync } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./support/free-port.js";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../", import.meta.url));
const deno = join(root, "packages/sdk/node_modules/.bin/deno");
const packages = ["contracts", "sdk", "mock-server"];
const rootManifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  packageManager: string;
  devDependencies: Record<string, string>;
};
const pinnedPnpm = rootManifest.packageManager;
// The scratch project type-checks with the workspace's TypeScript and Node types.
const typeTools = ["typescript", "@types/node"].map((name) => `${name}@${rootManifest.devDependencies[name]}`);

/** Fenced blocks of the README, with their language. */
function codeBlocks(markdown: string): Array<{ lang: string; code: string }> {
  return [...markdown.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((match) => ({ lang: match[1]!, code: match[2]! }));
}

const blocks = codeBlocks(readFileSync(join(root, "README.md"), "utf8"));
const tsBlocks = blocks.filter((block) => block.lang === "ts");
const [quickStart, ...shellBlocks] = blocks.filter((block) => block.lang === "sh");

// Calls the receiver a README block built, with a signed contract example, to prove it answers.
const receiverProbe = `
import { createSigner as __createSigner } from "@dttracker-dobbletap/sdk";
import { events as __events } from "@dttracker-dobbletap/contracts";
const __example = __events.offer_sent.example;
const __body = JSON.stringify(__example);
const __headers = await __createSigner(process.env.WEBHOOK_SECRET!).headers(__example.id, __body);
const __response = await handle(new Request("http://localhost/webhooks/dttracker", {
  method: "POST", headers: { "content-type": "application/json", ...__headers }, body: __body,
}));
console.log("probe", __response.status, JSON.stringify(await __response.json()));
`;

function withProbe(code: string): string {
  return code.includes("createWebhookHandler(") ? code + receiverProbe : code;
}

/** CommonJS has no top-level await: keep the imports at the top, run the rest in an async main. */
function asCommonJs(code: string): string {
  const lines = code.split("\n");
  const imports = lines.filter((line) => line.startsWith("import "));
  const body = lines.filter((line) => !line.startsWith("import "));
  const wrapped = `${imports.join("\n")}\nasync function main() {\n${body.join("\n")}\n}\nmain().catch((error) => { console.error(error); process.exit(1); });\n`;
  return transformSync(wrapped, { loader: "ts", format: "cjs" }).code;
}

let scratch = "";
let env: NodeJS.ProcessEnv = {};
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  for (const name of packages) {
    if (!existsSync(join(root, "packages", name, "dist"))) throw new Error(`packages/${name}/dist is missing: run pnpm build first.`);
  }
  scratch = mkdtempSync(join(tmpdir(), "dttracker-dobbletap-readme-"));
  const tarballs = join(scratch, "tarballs");
  for (const name of packages) {
    execFileSync("pnpm", ["pack", "--pack-destination", tarballs], { cwd: join(root, "packages", name), stdio: "pipe" });
  }
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", private: true }));
  writeFileSync(join(scratch, "deno.json"), JSON.stringify({ nodeModulesDir: "manual" }));
  const files = execFileSync("ls", [tarballs], { encoding: "utf8" }).trim().split("\n");
  // Pact is an optional peer of the contracts package: the verify command needs it installed.
  execFileSync(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      ...files.map((file) => `./tarballs/${file}`),
      "@pact-foundation/pact@17.1.2",
      "@electric-sql/pglite@0.5.17",
      ...typeTools,
    ],
    { cwd: scratch, stdio: "pipe" },
  );

  const secret = generateSecret();
  const dobbletap = await startMockServer({ as: "dobbletap", port: 0, secret, log: () => {} });
  const dttracker = await startMockServer({ as: "dttracker", port: 0, secret, log: () => {} });
  closers.push(
    () => dobbletap.close(),
    () => dttracker.close(),
  );
  env = {
    ...process.env,
    WEBHOOK_SECRET: secret,
    DOBBLETAP_URL: dobbletap.url,
    DOBBLETAP_STATES_URL: `${dobbletap.origin}/__mock/provider-states`,
    DTTRACKER_URL: dttracker.url,
    DTTRACKER_STATES_URL: `${dttracker.origin}/__mock/provider-states`,
    PACT_DO_NOT_TRACK: "true",
    NO_COLOR: "1",
  };
}, 180_000);

afterAll(async () => {
  for (const close of closers) await close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** What each TypeScript block must print, beyond exiting 0. */
function expectOutput(code: string, stdout: string) {
  if (code.includes("createDobbletapClient(") && !code.includes("createOutbox(")) {
    expect(stdout).toMatch(/campaign \{[^}]*synced: true/);
    expect(stdout).toMatch(/offer \{[^}]*status: ['"]offered['"]/);
  }
  if (code.includes("createWebhookHandler(")) expect(stdout).toMatch(/^probe 200 \{"success":true/m);
  if (code.includes("createDttrackerClient(")) expect(stdout).toMatch(/creators \{[\s\S]*synced: \[/);
  if (code.includes("createOutbox(")) {
    expect(stdout).toMatch(/enqueued \{[^}]*retryQueued: true/);
    expect(stdout).toMatch(/^outbox delivered \{.*"type":"offer".*"status":"offered"\}$/m);
  }
}

/** A block as the type-checkers see it: an ES module of the scratch project, as written. */
const checkedFile = (name: string) => join(scratch, `${name}.mts`);

// Proves the checks can fail: the first block plus a line that runs (types are stripped) but does not compile.
const mistyped = `${tsBlocks[0]?.code}\nexport const mistyped: number = published.syncStatus.synced;\n`;
const checkedBlocks = [...tsBlocks.map((block, index) => [`block-${index + 1}`, block.code] as const), ["mistyped", mistyped] as const];

/**
 * `tsc --strict` once over every block (one program is much faster than one per block), as an
 * integrator's ESM project would compile it against the installed packages; errors by file name.
 */
const tscErrors = lazy(async () => {
  for (const [name, code] of checkedBlocks) writeFileSync(checkedFile(name), code);
  const tsc = join(scratch, "node_modules/typescript/bin/tsc");
  const args = ["--strict", "--noEmit", "--skipLibCheck", "--pretty", "false", "--module", "nodenext", "--target", "es2022", "--types", "node"];
  const output = await run(process.execPath, [tsc, ...args, ...checkedBlocks.map(([name]) => checkedFile(name))], { cwd: scratch }).then(
    ({ stdout }) => stdout,
    (error: { stdout?: string; message: string }) => error.stdout || error.message,
  );
  const lines = output.split("\n").filter((line) => line.trim() !== "");
  // A line that names no block (a bad option, a crash) counts against every block.
  return (name: string) => lines.filter((line) => line.startsWith(`${name}.mts(`) || !/^[\w-]+\.mts\(/.test(line));
});

/** `deno check` of one block in the scratch project (its deno.json resolves from its node_modules). */
async function denoCheck(name: string): Promise<string> {
  await tscErrors(); // writes the files
  return run(deno, ["check", checkedFile(name)], { cwd: scratch, env: { ...env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" } }).then(
    () => "",
    (error: { stderr?: string; message: string }) => error.stderr || error.message,
  );
}

describe("README TypeScript blocks type-check, as written, against the packed packages", () => {
  it.each(checkedBlocks.filter(([name]) => name !== "mistyped"))("%s: tsc --strict", async (name) => {
    expect((await tscErrors())(name)).toEqual([]);
  });

  it.each(checkedBlocks.filter(([name]) => name !== "mistyped"))(
    "%s: deno check",
    async (name) => {
      expect(await denoCheck(name)).toBe("");
    },
    60_000,
  );

  it("the checks fail on a block that runs but does not compile (a boolean where a number is declared)", async () => {
    expect((await tscErrors())("mistyped")).toEqual([
      expect.stringMatching(/^mistyped\.mts\(\d+,\d+\): error TS2322: Type 'boolean' is not assignable to type 'number'\./),
    ]);
    expect(await denoCheck("mistyped")).toMatch(/TS2322 \[ERROR\]: Type 'boolean' is not assignable to type 'number'\.[\s\S]*mistyped\.mts/);
  }, 60_000);
});

describe("README TypeScript blocks, from the packed tarballs", () => {
  it("has the blocks this test knows how to check", () => {
    expect(tsBlocks.length).toBeGreaterThanOrEqual(3);
  });

  describe.each(tsBlocks.map((block, index) => [index + 1, block.code] as const))("block %i", (index, code) => {
    it("runs under Node ESM", async () => {
      const file = join(scratch, `block-${index}.mjs`);
      writeFileSync(file, transformSync(withProbe(code), { loader: "ts", format: "esm" }).code);
      const { stdout } = await run(process.execPath, [file], { cwd: scratch, env });
      expectOutput(code, stdout);
    });

    it("runs under Node CJS", async () => {
      const file = join(scratch, `block-${index}.cjs`);
      writeFileSync(file, asCommonJs(withProbe(code)));
      const { stdout } = await run(process.execPath, [file], { cwd: scratch, env });
      expectOutput(code, stdout);
    });

    it("runs under Deno", async () => {
      const file = join(scratch, `block-${index}.ts`);
      writeFileSync(file, withProbe(code));
      const { stdout } = await run(deno, ["run", "--quiet", "--allow-env", "--allow-net", "--allow-read", file], {
        cwd: scratch,
        env: { ...env, DENO_NO_UPDATE_CHECK: "1" },
      });
      expectOutput(code, stdout);
    });
  });
});

describe("README shell blocks", () => {
  it("quick start: two commands with the pinned pnpm, the second one what CI runs", () => {
    const lines = quickStart!.code.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^npx -y ${pinnedPnpm} install && npm run mock\\b`));
    expect(lines[1]).toMatch(new RegExp(`^npx -y ${pinnedPnpm} install && npx -y ${pinnedPnpm} test\\b`));
    expect(readFileSync(join(root, ".ci/run"), "utf8")).toMatch(/^pnpm test$/m);
  });

  it.each(shellBlocks.map((block, index) => [index + 1, block.code] as const))(
    "block %i runs against the mock servers",
    async (_, code) => {
      // The README speaks of the default port; the mocks here listen on free ones.
      const script = code.replaceAll("http://127.0.0.1:4010", new URL(env.DOBBLETAP_URL!).origin);
      const { stdout } = await run("bash", ["-euo", "pipefail", "-c", script], { cwd: scratch, env, timeout: 90_000 });
      expect(stdout).not.toMatch(/"success":false/);
    },
    120_000,
  );
});

/** Runs `make` once, on first use, and hands every caller the same promise. */
function lazy<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/** The commands of a shell block: continuations joined, comment lines dropped. */
function commandsOf(code: string): string[] {
  return code
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

const READY = /listening on|receivers at/i;

/**
 * Runs a README block's commands one after another as a person would in terminals: `cd` moves,
 * a command that starts a server (it prints where it listens and keeps running) stays up in the
 * background for the next ones, and an `export …` line it prints is pasted into the environment, as
 * the README says to. Every other command must exit 0. The documented ports are mapped to free ones
 * (others run tests on this machine at the same moment); every wait is bounded.
 */
async function runBlock(code: string, env: NodeJS.ProcessEnv): Promise<string> {
  let script = code;
  const ports = new Set([...code.matchAll(/127\.0\.0\.1:(\d{4,5})|PORT=(\d{4,5})/g)].map((m) => m[1] ?? m[2]!));
  for (const port of ports) {
    const free = String(await freePort());
    script = script.replaceAll(`127.0.0.1:${port}`, `127.0.0.1:${free}`).replaceAll(`PORT=${port}`, `PORT=${free}`);
  }
  const data = mkdtempSync(join(tmpdir(), "readme-mock-data-"));
  let cwd = root;
  const vars: NodeJS.ProcessEnv = { ...env };
  const servers: Array<() => void> = [];
  let transcript = "";
  try {
    for (let command of commandsOf(script)) {
      const cd = /^cd (\S+)$/.exec(command);
      if (cd) {
        cwd = join(cwd, cd[1]!);
        continue;
      }
      // The mock's own commands get a free port and a scratch data folder (never this checkout's).
      if (/^(npm run mock|npx @dttracker-dobbletap\/mock-server)(\s|$)(?!.*\btrigger\b)/.test(command)) {
        const extra = `--port ${await freePort()} --data-dir ${data}`;
        command = command.startsWith("npm run mock") ? `${command}${command.includes(" -- ") ? "" : " --"} ${extra}` : `${command} ${extra}`;
      }
      const child = spawn("bash", ["-euo", "pipefail", "-c", command], { cwd, env: vars, detached: true });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk));
      const outcome = await new Promise<"ready" | number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`\`${command}\` neither finished nor listened within 90 s:\n${output}`)), 90_000);
        child.stdout.on("data", () => {
          if (READY.test(output) && !/trigger/.test(command)) {
            clearTimeout(timer);
            // Wait for the whole banner (its export line comes after "listening on").
            setTimeout(() => resolve("ready"), 300);
          }
        });
        child.once("exit", (exitCode) => {
          clearTimeout(timer);
          resolve(exitCode ?? 1);
        });
      });
      transcript += `$ ${command}\n${output}\n`;
      if (outcome === "ready") {
        servers.push(() => {
          try {
            process.kill(-child.pid!, "SIGTERM");
          } catch {
            // Already gone.
          }
        });
        const exported = /^\s*export (.+)$/m.exec(output)?.[1];
        for (const pair of exported?.split(/\s+/) ?? []) {
          const equals = pair.indexOf("=");
          if (equals > 0) vars[pair.slice(0, equals)] = pair.slice(equals + 1);
        }
        continue;
      }
      if (outcome !== 0) throw new Error(`\`${command}\` (in ${cwd}) exited ${outcome}:\n${output}`);
    }
  } finally {
    for (const stop of servers) stop();
    rmSync(data, { recursive: true, force: true });
  }
  return transcript;
}

describe("every other README's shell blocks, as written, from the repository", () => {
  const readmes = [
    "packages/mock-server/README.md",
    ...readdirSync(join(root, "examples"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(root, "examples", entry.name, "README.md")))
      .map((entry) => `examples/${entry.name}/README.md`),
  ];
  const cases = readmes.flatMap((file) =>
    codeBlocks(readFileSync(join(root, file), "utf8"))
      .filter((block) => block.lang === "sh")
      .map((block, index) => [file, index + 1, block.code] as const),
  );

  it("covers the mock server's README and every example's", () => {
    expect(cases.map(([file]) => file)).toEqual(expect.arrayContaining(readmes));
  });

  it.each(cases)(
    "%s block %i",
    async (_file, _index, code) => {
      const transcript = await runBlock(code, env);
      expect(transcript).not.toMatch(/"success":false|✗/);
    },
    180_000,
  );

  it("the quick start's mock command starts the mock", async () => {
    const command = quickStart!.code.trim().split("\n")[0]!.split("&&")[1]!.split("#")[0]!.trim();
    const transcript = await runBlock(command, env);
    expect(transcript).toMatch(/Mock Dobbletap listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(transcript).toMatch(/Inspector: http:\/\/127\.0\.0\.1:\d+\/__mock\//);
  }, 60_000);
});
