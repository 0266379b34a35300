/**
 * The SDK's Deno tests (test/deno/*.test.ts) run the entry files beside them under the real deno
 * binary. Deno loads the SDK's built dist (test/deno/deno.json maps it) and everything else from the
 * workspace's node_modules, so it needs no network. CI builds before testing; if dist is absent,
 * {@link denoUnavailable} builds contracts and sdk once.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type DenoEntry, type DenoServer, runDeno, startDenoServer } from "../../../../test/support/deno.js";

const sdkRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const workspaceRoot = join(sdkRoot, "..", "..");
/** The folder of the Deno entry files and their deno.json. */
const denoDir = join(sdkRoot, "test", "deno");
const distFiles = [join(sdkRoot, "dist", "index.js"), join(sdkRoot, "dist", "postgres.js"), join(sdkRoot, "..", "contracts", "dist", "index.js")];
// The binary itself, not the node_modules/.bin shim: ending a shim could leave Deno running.
const denoBinary = [join(sdkRoot, "node_modules", "deno", "deno"), join(sdkRoot, "node_modules", ".bin", "deno")].find((path) => existsSync(path));

/** Why the Deno tests cannot run here, or undefined when they can (building dist first if it is absent). */
export function denoUnavailable(): string | undefined {
  if (denoBinary === undefined) return "the deno binary is not installed (packages/sdk devDependency `deno`)";
  if (distFiles.every((file) => existsSync(file))) return undefined;
  const built = spawnSync("pnpm", ["--filter", "@dttracker-dobbletap/contracts", "--filter", "@dttracker-dobbletap/sdk", "build"], {
    cwd: workspaceRoot,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (built.status === 0 && distFiles.every((file) => existsSync(file))) return undefined;
  return `dist is missing and building it failed (run \`pnpm build\` first): ${(built.stderr || built.stdout || String(built.error)).slice(-500)}`;
}

/** {@link denoUnavailable}, thrown: for the tests that must fail, not skip, without Deno. */
export function requireDeno(): void {
  const reason = denoUnavailable();
  if (reason !== undefined) throw new Error(reason);
}

export type { DenoServer };

type SdkDenoEntry = Omit<DenoEntry, "binary" | "cwd">;

function located(options: SdkDenoEntry): DenoEntry {
  if (denoBinary === undefined) throw new Error("the deno binary is not installed (packages/sdk devDependency `deno`)");
  return { ...options, binary: denoBinary, cwd: denoDir };
}

/** Starts a test/deno entry as a server (see the root test/support/deno.ts). */
export function startSdkDenoServer(options: SdkDenoEntry): Promise<DenoServer> {
  return startDenoServer(located(options));
}

/** Runs a test/deno entry to its end (see the root test/support/deno.ts). */
export function runSdkDeno(options: SdkDenoEntry): ReturnType<typeof runDeno> {
  return runDeno(located(options));
}
