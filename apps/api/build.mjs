// Bundles the API (and its CLIs) into dist/ with esbuild. Native and WebAssembly packages stay external and
// are resolved from node_modules at run time.
import { build } from "esbuild";

await build({
  entryPoints: { server: "src/server.ts", migrate: "src/cli/migrate.ts", seed: "src/cli/seed.ts", "mail-catcher": "src/cli/mail-catcher.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  external: ["@node-rs/argon2", "@electric-sql/pglite", "pino-pretty"],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  logLevel: "warning",
});
