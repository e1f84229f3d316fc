#!/usr/bin/env node
// `pnpm start`: build what changed (turbo caches the rest), then serve the API and the dashboard on PORT.
// With DATABASE_URL unset the API uses embedded PGlite in .data/, migrated and seeded with the demo on first run.
// `pnpm dev`: the API with reload on :3000 and Vite with hot reload on :5173 (proxying /trpc to the API).
// Both run a development mail catcher when SMTP_URL is unset (SMTP on MAIL_SMTP_PORT 1025, its page and REST API
// on MAIL_UI_PORT 1080); it lives outside the API process, so mail survives the API's reloads.
// Both load `.env` from the repository root first (see .env.example); a variable set in the real environment wins.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values: opts } = parseArgs({ options: { dev: { type: "boolean", default: false } }, strict: true });
const dev = opts.dev;
// process.loadEnvFile leaves variables that are already set alone.
const envFile = join(root, ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);
const children = [];
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopping = true;
    children.forEach((c) => c.kill(signal));
  });
}

function run(args, env) {
  const child = spawn("pnpm", args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  children.push(child);
  child.on("exit", (code, signal) => {
    stopping = true;
    children.forEach((c) => c !== child && c.kill("SIGTERM"));
    process.exit(code ?? (signal ? 0 : 1));
  });
}

/** Starts the mail catcher unless SMTP_URL is set; resolves to the env the API needs to use it. */
function mailCatcher(command) {
  if (process.env.SMTP_URL) return Promise.resolve({});
  const child = spawn(command[0], command.slice(1), { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  return new Promise((resolve) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      const { smtpUrl, uiUrl } = JSON.parse(line);
      resolve({ SMTP_URL: smtpUrl, MAIL_UI_URL: uiUrl });
    });
    child.once("exit", (code) => {
      if (stopping) return;
      console.error(`The development mail catcher stopped (exit ${code}); set SMTP_URL to use a real mail server.`);
      process.exit(1);
    });
  });
}

if (dev) {
  const mail = await mailCatcher(["pnpm", "--filter", "@switchboard/api", "exec", "tsx", "src/cli/mail-catcher.ts"]);
  // Loose env mode: the API gets every setting (turbo's strict mode would pass only turbo.json's list).
  run(["exec", "turbo", "run", "dev", "--env-mode=loose", "--filter=@switchboard/api", "--filter=@switchboard/web"], mail);
} else {
  const build = spawnSync(
    "pnpm",
    ["exec", "turbo", "run", "build", "--filter=@switchboard/api", "--filter=@switchboard/web", "--output-logs=errors-only"],
    { cwd: root, stdio: "inherit" },
  );
  if (build.status !== 0) process.exit(build.status ?? 1);
  const mail = await mailCatcher([process.execPath, "apps/api/dist/mail-catcher.mjs"]);
  run(["exec", "node", "--enable-source-maps", "apps/api/dist/server.mjs"], mail);
}
