import { defineConfig } from "vitest/config";

/**
 * End-to-end journeys in Chromium against the real API serving the built dashboard (e2e/global-setup.ts starts
 * both). Files run one after another: they share one API server and a 2-core machine.
 */
export default defineConfig({
  test: {
    include: ["e2e/**/*.spec.ts"],
    environment: "node",
    globalSetup: ["e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
