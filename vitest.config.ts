import { defineConfig } from "vitest/config";

export default defineConfig({
  // Workspace packages resolve to their `src` (the source export condition), so tests need no build.
  resolve: { conditions: ["@dttracker-dobbletap/source"] },
  ssr: { resolve: { conditions: ["@dttracker-dobbletap/source"] } },
  test: {
    include: [
      "packages/*/src/**/*.test.ts",
      "packages/*/test/**/*.test.ts",
      "examples/*/**/*.test.ts",
      "scripts/**/*.test.ts",
      "test/**/*.test.ts",
      "bench/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "**/dist/**", "**/*.pact.test.ts"],
    typecheck: { enabled: true, include: ["packages/*/src/**/*.test-d.ts", "packages/*/test/**/*.test-d.ts"] },
    env: { PACT_DO_NOT_TRACK: "true" },
    testTimeout: 20_000,
    globalSetup: ["test/support/postgres-global-setup.ts"],
  },
});
