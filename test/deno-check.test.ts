/**
 * The Deno receiver example type-checks under Deno as it is in this workspace (`deno check` in
 * examples/dobbletap-receiver-deno, the step `pnpm typecheck` runs), against the SDK's real
 * declarations: a planted file that misuses an SDK type must fail that same command. Before its
 * deno.json mapped the `.js` names inside the built declarations (tsup's chunk `.d.ts` files), the
 * check failed with TS2307; had the SDK's types resolved to `any`, the planted file would pass.
 */
import { execFile } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const example = fileURLToPath(new URL("../examples/dobbletap-receiver-deno/", import.meta.url));
const deno = join(example, "node_modules/.bin/deno");
const env = { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };

describe("deno check in examples/dobbletap-receiver-deno", () => {
  it("passes on the example as committed", async () => {
    const { stderr } = await run(deno, ["check"], { cwd: example, env });
    expect(stderr).toMatch(/Check .*main\.ts/);
  }, 60_000);

  it("fails on a file there that breaks an SDK type, naming the error", async () => {
    const planted = join(example, `planted-${process.pid}.ts`);
    writeFileSync(planted, 'import { generateSecret } from "@dttracker-dobbletap/sdk";\nexport const secret: number = generateSecret();\n');
    try {
      const failed = await run(deno, ["check"], { cwd: example, env }).then(
        () => undefined,
        (error: { stderr: string }) => error.stderr,
      );
      expect(failed).toMatch(/TS2322 \[ERROR\]: Type 'string' is not assignable to type 'number'/);
      expect(failed).toContain(`planted-${process.pid}.ts`);
    } finally {
      rmSync(planted, { force: true });
    }
  }, 60_000);
});
