/**
 * Bundle size of the SDK's sender-only and receiver-only entry points as an integrator's bundler
 * would ship them: esbuild, ESM, minified, tree-shaken, platform browser (edge-like: no node
 * built-ins), every dependency bundled (zod and ky included), then gzip -9. The entries import the
 * built `packages/sdk/dist`, i.e. the published artefact.
 */
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { build } from "esbuild";
import { repoRoot } from "./lib/paths.js";
import { formatKb } from "./lib/table.js";
import type { Measurement, Row } from "./lib/types.js";

async function bundle(entry: string): Promise<{ minified: number; gzipped: number; inputs: Record<string, number> }> {
  const result = await build({
    entryPoints: [join(repoRoot, "bench/entries", entry)],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
    // Only reached through process.getBuiltinModule at run time, never imported statically.
    external: ["node:*"],
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

export async function measureBundleSize(): Promise<Measurement> {
  const sender = await bundle("sender-only.ts");
  const receiver = await bundle("receiver-only.ts");
  const whole = await bundle("whole-sdk.ts");
  const group = "bundle (esbuild min + gzip)";
  const rows: Row[] = [
    {
      group,
      name: "sender only (createDobbletapClient)",
      value: `${formatKb(sender.gzipped)} gzip`,
      ratio: `${formatKb(sender.minified)} min`,
      target: "≤ 35 KB gzip",
      pass: sender.gzipped <= 35 * 1024,
    },
    { group, name: "receiver only (createWebhookHandler)", value: `${formatKb(receiver.gzipped)} gzip`, ratio: `${formatKb(receiver.minified)} min` },
    { group, name: "whole SDK (reference)", value: `${formatKb(whole.gzipped)} gzip`, ratio: `${formatKb(whole.minified)} min` },
  ];
  return {
    rows,
    notes: [
      "Bundles: esbuild ESM, minified, platform browser, zod and ky bundled, gzip -9. Minified bytes by package — " +
        `sender: ${composition(sender.inputs)}; receiver: ${composition(receiver.inputs)}.`,
    ],
  };
}
