/**
 * Bundle size of the SDK's sender-only and receiver-only entry points as an integrator's bundler
 * would ship them: esbuild, ESM, minified, tree-shaken, platform browser (edge-like: no node
 * built-ins), every dependency bundled (zod and ky included), then gzip -9. The entries import the
 * built `packages/sdk/dist`, i.e. the published artefact.
 */
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { build, type BuildOptions } from "esbuild";
import { repoRoot } from "./lib/paths.js";
import { formatKb } from "./lib/table.js";
import type { Measurement, Row } from "./lib/types.js";

type Bundle = { minified: number; gzipped: number; inputs: Record<string, number> };

/** How an integrator's bundler ships an entry (the settings every bundle figure uses). */
export const integratorBundle = {
  bundle: true,
  minify: true,
  format: "esm" as const,
  platform: "browser" as const,
  target: "es2022",
  write: false as const,
  logLevel: "silent" as const,
  // Only reached through process.getBuiltinModule at run time, never imported statically.
  external: ["node:*"],
} satisfies BuildOptions;

/** `entry`: a file in bench/entries, or `{ reexport }`: a module specifier bundled as `export * from …`. */
async function bundle(entry: string | { reexport: string }): Promise<Bundle> {
  const result = await build({
    ...(typeof entry === "string"
      ? { entryPoints: [join(repoRoot, "bench/entries", entry)] }
      : { stdin: { contents: `export * from ${JSON.stringify(entry.reexport)};`, resolveDir: repoRoot, sourcefile: "verify-only.ts", loader: "ts" as const } }),
    ...integratorBundle,
    metafile: true,
  });
  const code = result.outputFiles[0]!.contents;
  const output = Object.values(result.metafile.outputs)[0]!;
  const inputs: Record<string, number> = {};
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path);
    const owner = match ? match[1]! : path.startsWith("packages/") ? path.split("/").slice(0, 2).join("/") : path;
    inputs[owner] = (inputs[owner] ?? 0) + bytesInOutput;
  }
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength, inputs };
}

function composition(inputs: Record<string, number>): string {
  return Object.entries(inputs)
    .sort((a, b) => b[1] - a[1])
    .map(([owner, bytes]) => `${owner} ${formatKb(bytes)}`)
    .join(", ");
}

const VERIFY_ENTRY = "@dttracker-dobbletap/sdk/verify";

/** Whether the SDK package declares the verify-only subpath (another change adds it). */
function hasVerifyEntry(): boolean {
  const manifest = JSON.parse(readFileSync(join(repoRoot, "packages/sdk/package.json"), "utf8")) as { exports?: Record<string, unknown> };
  return manifest.exports?.["./verify"] !== undefined;
}

function sizeRow(group: string, name: string, result: Bundle, limitKb: number): Row {
  return {
    group,
    name,
    value: `${formatKb(result.gzipped)} gzip`,
    ratio: `${formatKb(result.minified)} min${result.inputs.zod ? "; includes zod" : ""}`,
    target: `≤ ${limitKb} KB gzip`,
    pass: result.gzipped <= limitKb * 1024,
  };
}

export async function measureBundleSize(): Promise<Measurement> {
  const sender = await bundle("sender-only.ts");
  const receiver = await bundle("receiver-only.ts");
  const whole = await bundle("whole-sdk.ts");
  const verify = hasVerifyEntry() ? await bundle({ reexport: VERIFY_ENTRY }) : undefined;
  const group = "bundle (esbuild min + gzip)";
  const rows: Row[] = [
    sizeRow(group, "sender only (createDobbletapClient)", sender, 40),
    sizeRow(group, "receiver only (createWebhookHandler)", receiver, 30),
    verify
      ? sizeRow(group, `verify only (${VERIFY_ENTRY}, everything it exports)`, verify, 3)
      : {
          group,
          name: `verify only (${VERIFY_ENTRY})`,
          value: "not present",
          ratio: "packages/sdk/package.json has no ./verify export",
          target: "≤ 3 KB gzip",
          pass: false,
        },
    { group, name: "whole SDK (reference)", value: `${formatKb(whole.gzipped)} gzip`, ratio: `${formatKb(whole.minified)} min` },
  ];
  return {
    rows,
    notes: [
      "Bundles: esbuild ESM, minified, tree-shaken, platform browser, every dependency bundled (zod, ky), gzip -9; the entries import the built dist (what users install). Minified bytes by package — " +
        `sender: ${composition(sender.inputs)}; receiver: ${composition(receiver.inputs)}` +
        `${verify ? `; verify: ${composition(verify.inputs)}` : `; verify: the ${VERIFY_ENTRY} entry does not exist yet`}.`,
    ],
  };
}
