import { defineConfig } from "vitest/config";

/** Component and logic tests (src/**). The Chromium journeys have their own config: vitest.e2e.config.ts. */
export default defineConfig({
  test: {
    include: ["src/**/*.test.{ts,tsx}"],
    environment: "happy-dom",
    setupFiles: ["src/test-setup.ts"],
    // Above the 5 s async-query wait of test-setup.ts, so a slow render fails on its own message, not on the clock.
    testTimeout: 20_000,
  },
});
