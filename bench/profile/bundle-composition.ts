/**
 * What the sender bundle is made of, in gzip bytes: each piece bundled on its own with the same
 * esbuild settings as bench/bundle-size.ts. Usage (after `pnpm build`): tsx bench/profile/bundle-composition.ts
 */
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { integratorBundle } from "../bundle-size.js";
import { repoRoot } from "../lib/paths.js";

// Each piece resolves its imports from the package that depends on them (pnpm does not hoist).
const sdkDir = join(repoRoot, "packages/sdk");
const contractsDir = join(repoRoot, "packages/contracts");
const pieces: Record<string, [source: string, resolveDir: string]> = {
  "ky alone (ky.create + error guards)": [`export { default, isHTTPError, isNetworkError, isTimeoutError } from "ky";`, sdkDir],
  "zod alone (what contracts use: object, string, uuid, iso.datetime, int, enum, array, meta)": [
    `import * as z from "zod"; export const s = z.object({ a: z.uuid(), b: z.iso.datetime(), c: z.string().trim().min(1).max(9), d: z.int().positive(), e: z.enum(["x"]), f: z.array(z.string()).refine(Boolean), g: z.literal("x"), h: z.union([z.string(), z.boolean()]) }).meta({ id: "S" });`,
    contractsDir,
  ],
  "contracts: event map + parse (zod included)": [
    `export { events, parseEventData, parseSuccessAnswer, parseErrorAnswer } from "@dttracker-dobbletap/contracts";`,
    sdkDir,
  ],
  "sender entry (createDobbletapClient)": [`export { createDobbletapClient } from "./dist/index.js";`, sdkDir],
};
for (const [name, [contents, resolveDir]] of Object.entries(pieces)) {
  const result = await build({
    stdin: { contents, resolveDir, loader: "js" },
    ...integratorBundle,
  });
  const code = result.outputFiles[0]!.contents;
  console.log(
    `${(gzipSync(code, { level: 9 }).byteLength / 1024).toFixed(1).padStart(6)} KB gzip  ${(code.byteLength / 1024).toFixed(1).padStart(6)} KB min  ${name}`,
  );
}
