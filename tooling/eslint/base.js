// Shared flat config. Edit here when a rule should apply to every package.
// ESLint is the syntactic pass and holds the import boundaries. Type-aware rules (floating promises, unsafe any)
// run in oxlint + oxlint-tsgolint (tooling/oxlint/), because typescript-eslint does not support TypeScript 7;
// tooling/README.md has the measurement behind that choice. `pnpm typecheck` (tsc 7) is the type gate.
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

/**
 * The procedure plumbing, as seen from a service (routers/<domain>/<domain>.service.ts, two folders below src/):
 * tRPC init, the base procedures, context, middlewares and the tenancy/budget/audit middleware folders.
 * tenancy/roles.ts (roleIn/roleRank, plain functions of tx) is domain logic and stays importable.
 */
const PLUMBING_FROM_A_SERVICE = String.raw`^\.\./\.\./(trpc|procedures|context|middlewares/.+|budget/.+|audit/.+|tenancy/(?!roles$).+)$`;

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.turbo/**", "**/.data/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": "off",
      // Boundary: configuration comes from the environment in one env module per app (apps/api/src/env.ts),
      // which parses and validates it; everything else receives values from there.
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read the environment in the app's env module (apps/api/src/env.ts) and pass values in." },
      ],
    },
  },
  {
    // Justified exceptions to the env boundary, each an entry point or a harness with its own environment:
    files: [
      "src/env.ts", // the API's env module
      "src/cli/**", // command-line entry points (migrate, seed, platform-admin): their own small env readers
      "src/migrate.ts", // @switchboard/db: MIGRATIONS_DIR overrides where the bundled CLIs and images find migrations/
      "src/testing/**", // test support: the harness's SB_TEST_DATABASE_URL
      "test/**", // test files and their setup
      "e2e/**",
      "**/*.test.ts",
      "**/*.test.tsx",
      "*.config.ts", // build and test tool configuration (vite's API proxy target)
    ],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // Boundary: services are plain functions of (tx, input). They throw domain errors and never see tRPC.
    files: ["**/*.service.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@trpc/*"], message: "Services do not import tRPC: throw a DomainError (errors.ts); a middleware maps it." },
            { regex: PLUMBING_FROM_A_SERVICE, message: "Services do not import the procedure plumbing (trpc.ts, procedures.ts, context, middlewares)." },
          ],
        },
      ],
    },
  },
);
