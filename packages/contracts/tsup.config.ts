import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", openapi: "src/openapi.ts", pact: "src/pact/index.ts", "verify-cli": "src/pact/cli.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  // import.meta.url in the CJS build (the pact module finds its shipped pact files with it).
  shims: true,
  external: ["@pact-foundation/pact"],
});
