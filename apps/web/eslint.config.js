import react from "@switchboard/eslint-config/react";

/** Server packages: the dashboard takes their types (RouterInputs/RouterOutputs, AppRouter), never their code. */
const SERVER_PACKAGES = ["@switchboard/trpc", "@switchboard/db", "@switchboard/auth", "@switchboard/jobs", "@switchboard/api"];

export default [
  ...react,
  {
    // Boundary: nothing of the server reaches the browser bundle. (e2e/ runs in Node and seeds the database.)
    files: ["src/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: SERVER_PACKAGES.flatMap((name) => [name, `${name}/*`]),
              allowTypeImports: true,
              message: "The dashboard imports only types from server packages (import type …).",
            },
          ],
        },
      ],
    },
  },
];
