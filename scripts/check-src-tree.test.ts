/**
 * `pnpm check:src` keeps packages' src/ to modules and their tests: each kind of intruder is planted
 * in a scratch repository and must be reported; the repository itself must be clean.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkSrcTree, srcTreeProblem } from "./check-src-tree.js";

describe("srcTreeProblem(file)", () => {
  it.each([
    ["packages/sdk/src/client/.parts.ts", /dot file/],
    ["packages/sdk/src/.scratch/notes.ts", /dot file/],
    ["packages/sdk/src/client/notes.md", /not a TypeScript module/],
    ["packages/sdk/src/client/test-server.ts", /test support/],
    ["packages/sdk/src/postgres/test-fixtures.ts", /test support/], // (moved to test/support; the rule stays)
    ["packages/contracts/src/testing.ts", /test support/],
    ["packages/contracts/src/fixtures.ts", /test support/],
  ])("reports %s", (file, why) => {
    expect(srcTreeProblem(file)?.why).toMatch(why);
  });

  it.each([
    "packages/sdk/src/client/create-client.ts",
    "packages/sdk/src/client/create-client.test.ts",
    "packages/contracts/src/events/index.test-d.ts",
    "packages/contracts/src/latest.ts",
    "packages/sdk/test/support/test-server.ts",
    "test/support/postgres.ts",
  ])("accepts %s", (file) => {
    expect(srcTreeProblem(file)).toBeUndefined();
  });
});

describe("checkSrcTree(root)", () => {
  const scratch = mkdtempSync(join(tmpdir(), "check-src-tree-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const plant = (file: string) => {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    writeFileSync(join(scratch, file), "export {};\n");
  };

  it("lists tracked and untracked files, not ignored ones", () => {
    execFileSync("git", ["init", "-q"], { cwd: scratch });
    writeFileSync(join(scratch, ".gitignore"), "*.local.ts\n");
    plant("packages/sdk/src/index.ts");
    plant("packages/sdk/src/.parts.ts");
    execFileSync("git", ["add", "."], { cwd: scratch });
    plant("packages/sdk/src/test-server.ts");
    plant("packages/sdk/src/ignored.local.ts");
    expect(checkSrcTree(scratch).map((problem) => problem.file)).toEqual(["packages/sdk/src/.parts.ts", "packages/sdk/src/test-server.ts"]);
  });
});
