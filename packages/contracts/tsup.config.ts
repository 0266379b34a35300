import { defineConfig } from "tsup";

const shared = {
  format: ["esm", "cjs"] as ("esm" | "cjs")[],
  dts: true,
  sourcemap: true,
  target: "node20",
  // import.meta.url in the CJS build (the pact module finds its shipped pact files with it).
  shims: true,
  external: ["@pact-foundation/pact"],
};

export default defineConfig([
  {
    ...shared,
    clean: true,
    entry: { index: "src/index.ts", openapi: "src/openapi.ts", pact: "src/pact/index.ts", "verify-cli": "src/pact/cli/index.ts" },
  },
]);
