import { defineConfig } from "tsup";

export default defineConfig({
  entry: ["src/index.ts", "src/cli.ts"],
  format: ["esm", "cjs"],
  // Types for the library only; the CLI is a bin.
  dts: { entry: "src/index.ts" },
  clean: true,
  sourcemap: true,
  target: "node20",
  // The bin's `#!/usr/bin/env node` banner is the first line of src/cli.ts: esbuild keeps an entry's
  // hashbang, and a tsup `banner` would also land on the library files.
});
