// ESLint runs only the type-aware promise rules, which need the TypeScript type checker: Biome
// (biome.json) lints and formats everything else, but its own inference misses promises typed in
// .d.ts files (node:fs/promises, the SDK client's methods).
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/dist/**",
      "**/node_modules/**",
      "pacts/**",
      "openapi/**",
      ".tmp/**",
      // Deno code, checked by `deno check` (its deno.json), not by a tsconfig project.
      "examples/dobbletap-receiver-deno/main.ts",
      "examples/dobbletap-receiver-deno/store.ts",
      "**/*.js",
      "**/*.mjs",
      "**/*.cjs",
    ],
  },
  {
    files: ["**/*.ts", "**/*.mts", "**/*.cts"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    // Directives in the code may name rules of other tools; this config runs two rules only.
    linterOptions: { reportUnusedDisableDirectives: "off" },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
    },
  },
);
