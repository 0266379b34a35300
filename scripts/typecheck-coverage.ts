/**
 * Every TypeScript file in the repository is type-checked by `pnpm typecheck`: it is a root file of
 * a TypeScript project that the command compiles (the root tsconfig.json and each
 * packages/<name>/tsconfig.json), or it lives in a Deno project (a folder with a deno.json, whose
 * package.json `typecheck` script runs `deno check`) and is not in that deno.json's `exclude`.
 * Fails (exit 1) listing the files neither covers, so a new folder cannot drift out of the check.
 * Run: `pnpm run typecheck` (its last step), or `tsx scripts/typecheck-coverage.ts`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { repoFiles } from "./repo-files.js";

const TYPESCRIPT_FILES = ["*.ts", "*.mts", "*.cts", "*.tsx"];

/** The root files of the TypeScript project at `tsconfig`, relative to `root`. */
function projectFiles(root: string, tsconfig: string): string[] {
  const path = join(root, tsconfig);
  const config = ts.getParsedCommandLineOfConfigFile(path, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (!config) throw new Error(`${tsconfig} could not be read.`);
  return config.fileNames.map((file) => relative(root, file));
}

/** The projects `pnpm typecheck` compiles with tsc: the root one and each package's. */
function tscProjects(root: string): string[] {
  const packages = repoFiles(root, "packages/*/package.json").map(dirname);
  for (const folder of packages) {
    const script = (JSON.parse(readFileSync(join(root, folder, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts?.typecheck;
    if (script !== "tsc -p tsconfig.json") {
      throw new Error(`${folder}/package.json: its typecheck script is ${JSON.stringify(script)}; this check expects "tsc -p tsconfig.json".`);
    }
  }
  return ["tsconfig.json", ...packages.map((folder) => `${folder}/tsconfig.json`)].filter((file) => existsSync(join(root, file)));
}

/** Whether `file` is checked by the `deno check` of a Deno project folder. */
function denoChecked(root: string, file: string): boolean {
  for (let folder = dirname(file); folder !== "."; folder = dirname(folder)) {
    if (!existsSync(join(root, folder, "deno.json"))) continue;
    const manifest = join(root, folder, "package.json");
    const script = existsSync(manifest) ? (JSON.parse(readFileSync(manifest, "utf8")) as { scripts?: Record<string, string> }).scripts?.typecheck : undefined;
    if (!script?.endsWith("deno check")) return false;
    const { exclude = [] } = JSON.parse(readFileSync(join(root, folder, "deno.json"), "utf8")) as { exclude?: string[] };
    const inside = relative(join(root, folder), join(root, file));
    return !exclude.some((entry) => inside === entry || inside.startsWith(`${entry.replace(/\/$/, "")}/`));
  }
  return false;
}

/** The repository's TypeScript files that no step of `pnpm typecheck` checks. */
export function uncheckedFiles(root: string): string[] {
  const checked = new Set(tscProjects(root).flatMap((project) => projectFiles(root, project)));
  return repoFiles(root, ...TYPESCRIPT_FILES).filter((file) => !checked.has(file) && !denoChecked(root, file));
}

function main(): number {
  const root = fileURLToPath(new URL("../", import.meta.url));
  const unchecked = uncheckedFiles(root);
  if (unchecked.length === 0) {
    console.log("typecheck-coverage: every TypeScript file is type-checked by pnpm typecheck.");
    return 0;
  }
  console.error(`typecheck-coverage: ${unchecked.length} TypeScript file(s) are type-checked by nothing:`);
  for (const file of unchecked) console.error(`  ${file}`);
  console.error("Add each to the `include` of tsconfig.json (or its package's), or to a Deno project whose package.json runs `deno check`.");
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
