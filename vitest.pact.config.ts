import { defineConfig } from "vitest/config";

// Pact runs apart from the unit tests: consumers first (they write pacts/), then providers.
export default defineConfig({
  resolve: { conditions: ["@dttracker-dobbletap/source"] },
  ssr: { resolve: { conditions: ["@dttracker-dobbletap/source"] } },
  test: {
    include: ["packages/*/test/pact/**/*.pact.test.ts"],
    fileParallelism: false,
    env: { PACT_DO_NOT_TRACK: "true" },
    testTimeout: 60_000,
  },
});
