/**
 * What a package's `src/` may hold: its modules and their tests. Fails (exit 1) on a dot file or
 * folder (a scratch `.parts.ts`), on a file that is not TypeScript, and on test support (a
 * `test-server.ts`, `test-fixtures.ts`, …: anything named for tests that is not itself a
 * `*.test.ts` or `*.test-d.ts`), which belongs in the package's `test/` where no build ships it.
 * Run: `pnpm run check:src`.
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { repoFiles } from "./repo-files.js";

const TEST_FILE = /\.test(-d)?\.ts$/;
// A name part that says "this is for tests": test, tests, testing, fixture, fixtures.
const TEST_SUPPORT_NAME = /(^|[-_.])(tests?|testing|fixtures?)([-_.]|$)/i;

/** One file that does not belong under `packages/<name>/src/`, and why. */
export interface SrcTreeProblem {
  file: string;
  why: string;
}

/** Judges one path relative to the repository root (only `packages/<name>/src/…` paths are judged). */
export function srcTreeProblem(file: string): SrcTreeProblem | undefined {
  const match = /^packages\/[^/]+\/src\/(.+)$/.exec(file);
  if (!match) return undefined;
  const parts = match[1]!.split("/");
  const name = parts.at(-1)!;
  if (parts.some((part) => part.startsWith("."))) {
    return { file, why: "a dot file or folder: scratch files do not live in src/ (delete it, or move it out of the package)" };
  }
  if (!name.endsWith(".ts")) {
    return { file, why: "not a TypeScript module: src/ holds the package's .ts sources and their tests only" };
  }
  if (!TEST_FILE.test(name) && TEST_SUPPORT_NAME.test(name.replace(/\.ts$/, ""))) {
    return { file, why: "test support in src/: move it to the package's test/ (it is not a *.test.ts, and src/ is what ships)" };
  }
  return undefined;
}

/** Every problem under `packages/*\/src/` of the repository at `root`. */
export function checkSrcTree(root: string): SrcTreeProblem[] {
  return repoFiles(root, "packages/*/src/**")
    .map(srcTreeProblem)
    .filter((problem) => problem !== undefined);
}

function main(): number {
  const root = fileURLToPath(new URL("../", import.meta.url));
  const problems = checkSrcTree(root);
  if (problems.length === 0) {
    console.log("check-src-tree: every file under packages/*/src is a module or a test.");
    return 0;
  }
  console.error(`check-src-tree: ${problems.length} file(s) do not belong under packages/*/src:`);
  for (const { file, why } of problems) console.error(`  ${file}: ${why}`);
  return 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main();
