import { defineConfig, type Options } from "tsup";

const shared: Options = {
  entry: { index: "src/index.ts", node: "src/node.ts", postgres: "src/postgres/index.ts", verify: "src/verify.ts" },
  dts: true,
  sourcemap: true,
  target: "es2022",
  platform: "neutral",
  // node: builtins are only reached through the ./node entry or process.getBuiltinModule.
  external: [/^node:/],
  // The CJS build gets import.meta.url (migrate() finds ../migrations/ beside dist with it).
  shims: true,
};

export default defineConfig([
  { ...shared, format: ["esm"], clean: true },
  // ky is ESM-only: `require()` of it hands back a namespace the CJS interop mis-reads, so the
  // CJS build carries its own copy (about 4 KB gzip). ESM users share the installed ky.
  { ...shared, format: ["cjs"], noExternal: ["ky"] },
  // The dttracker-dobbletap-verify bin (Node only; the CLI itself is the contracts package's).
  { ...shared, entry: { "verify-cli": "src/verify-cli.ts" }, format: ["esm"], dts: false, platform: "node", banner: { js: "#!/usr/bin/env node" } },
]);
