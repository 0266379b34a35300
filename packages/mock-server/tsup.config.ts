import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

export default defineConfig([
  {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    sourcemap: true,
    target: "node20",
  },
  {
    // The bin is one self-contained file: loading zod's and the SDK's many small ESM modules one by
    // one cost about 45% of start-up to first answer (bench: `pnpm bench startup`).
    entry: ["src/cli.ts"],
    format: ["esm"],
    sourcemap: true,
    target: "node20",
    platform: "node",
    noExternal: [/.*/],
    define: { __MOCK_SERVER_VERSION__: JSON.stringify(version) },
    // Bundled CommonJS dependencies (commander) call require() for node builtins.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  },
]);
