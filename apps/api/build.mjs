// Bundles the API (and its CLIs) into dist/ with esbuild. Native and WebAssembly packages stay external and
// are resolved from node_modules at run time.
import { copyFile, mkdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
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

// The API reference's renderer (plugins/openapi.ts serves it at /docs/scalar.js): Scalar's self-contained browser
// bundle, copied beside the server bundle so the image needs no node_modules for it.
const scalar = join(dirname(createRequire(import.meta.url).resolve("@scalar/api-reference")), "browser", "standalone.js");
await mkdir("dist/scalar", { recursive: true });
await copyFile(scalar, "dist/scalar/standalone.js");
