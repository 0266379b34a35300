/**
 * `pnpm typecheck` ends with typecheck-coverage: a TypeScript file that neither a tsconfig project
 * nor a Deno project's `deno check` covers is reported, so no folder silently escapes type-checking.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { uncheckedFiles } from "./typecheck-coverage.js";

describe("uncheckedFiles(root)", () => {
  const scratch = mkdtempSync(join(tmpdir(), "typecheck-coverage-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const write = (file: string, text = "export {};\n") => {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    writeFileSync(join(scratch, file), text);
  };

  it("reports files outside every project, and a Deno project's excluded files", () => {
    execFileSync("git", ["init", "-q"], { cwd: scratch });
    write("tsconfig.json", JSON.stringify({ include: ["src", "scripts"], exclude: ["scripts/skip.ts"] }));
    write("packages/a/package.json", JSON.stringify({ scripts: { typecheck: "tsc -p tsconfig.json" } }));
    write("packages/a/tsconfig.json", JSON.stringify({ include: ["src"] }));
    write("packages/a/src/index.ts");
    write("packages/a/test/index.test.ts");
    write("src/index.ts");
    write("scripts/skip.ts");
    write("bench/run.mts");
    write("deno/deno.json", JSON.stringify({ exclude: ["node.test.ts"] }));
    write("deno/package.json", JSON.stringify({ scripts: { typecheck: "deno check" } }));
    write("deno/main.ts");
    write("deno/node.test.ts");
    write("other-deno/deno.json", "{}");
    write("other-deno/main.ts");
    expect(uncheckedFiles(scratch)).toEqual(["bench/run.mts", "deno/node.test.ts", "other-deno/main.ts", "packages/a/test/index.test.ts", "scripts/skip.ts"]);
  });
});
