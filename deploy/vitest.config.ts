import { defineConfig } from "vitest/config";

// Chart checks shell out to helm; the first run also unzips it (≈1 s), so allow generous timeouts.
export default defineConfig({
  test: {
    include: ["helm/**/tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ["helm/switchboard/tests/helpers/global-setup.ts"],
  },
});
