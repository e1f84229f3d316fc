#!/usr/bin/env node
// `pnpm start`: build what changed (turbo caches the rest), then serve the API and the dashboard on PORT.
// With DATABASE_URL unset the API uses embedded PGlite in .data/, migrated and seeded with the demo on first run.
// `pnpm dev`: the API with reload on :3000 and Vite with hot reload on :5173 (proxying /trpc to the API).
import { spawn, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");

function run(args) {
  const child = spawn("pnpm", args, { cwd: root, stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

if (dev) {
  run(["exec", "turbo", "run", "dev", "--filter=@switchboard/api", "--filter=@switchboard/web"]);
} else {
  const build = spawnSync(
    "pnpm",
    ["exec", "turbo", "run", "build", "--filter=@switchboard/api", "--filter=@switchboard/web", "--output-logs=errors-only"],
    { cwd: root, stdio: "inherit" },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
  run(["exec", "node", "--enable-source-maps", "apps/api/dist/server.mjs"]);
}
