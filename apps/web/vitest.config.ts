import { defineConfig } from "vitest/config";

/** Component and logic tests (src/**). The Chromium journeys have their own config: vitest.e2e.config.ts. */
export default defineConfig({
  test: {
    include: ["src/**/*.test.{ts,tsx}"],
    environment: "happy-dom",
    setupFiles: ["src/test-setup.ts"],
  },
});
