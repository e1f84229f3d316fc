/**
 * Starts what the journeys run against, once for all spec files:
 * 1. finds Chromium (CHROMIUM_PATH, else /usr/bin/chromium): missing → fail under CI, else skip with a notice;
 * 2. builds the dashboard when dist/ is missing or older than its sources;
 * 3. a database: a fresh real PostgreSQL database seeded with the demo when SB_TEST_DATABASE_URL is set
 *    (`pnpm test` at the root sets it), else the API's own embedded PGlite in a temp dir (it migrates and seeds);
 * 4. a development mail catcher (@switchboard/jobs/mail-catcher: real SMTP, read back over its REST API), which the
 *    API sends to through SMTP_URL;
 * 5. the real API (apps/api) serving dist/ on a free port, ready when /readyz answers 200.
 * Everything is torn down afterwards.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Chromium to launch, or null when the suite is skipped. */
    chromiumPath: string | null;
    /** Port of the API serving the dashboard (http://localhost:PORT, http://<slug>.localhost:PORT). */
    port: number;
    /** "postgres" | "pglite": which database the API runs on. */
    databaseKind: string;
    /** The mail catcher's REST API (`GET /email`), where everything the API mailed arrives. */
    mailUrl: string;
    /** The API's TWILIO_API_BASE_URL is http://127.0.0.1:<twilioPort>: a journey listens there as Twilio (0: skipped). */
    twilioPort: number;
  }
}

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const apiDir = resolve(webDir, "..", "api");

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((entry) => newestMtime(join(path, entry))));
}

function buildIfStale() {
  const built = join(webDir, "dist", "index.html");
  const sources = ["src", "index.html", "vite.config.ts", "package.json"].map((p) => join(webDir, p));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  console.log("[e2e] building the dashboard (dist/ is missing or older than src/)");
  const vite = join(webDir, "node_modules", "vite", "bin", "vite.js");
  const result = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], { cwd: webDir, stdio: "inherit" });
  if (result.status !== 0) throw new Error("[e2e] vite build failed");
}

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

async function waitForReady(port: number, child: ChildProcess, output: () => string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`[e2e] the API exited with code ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`http://localhost:${port}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`[e2e] the API was not ready within ${timeoutMs / 1000}s:\n${output()}`);
}

export default async function setup(project: TestProject) {
  const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
  if (!existsSync(chromiumPath)) {
    const message =
      `Chromium not found at ${chromiumPath}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.`;
    if (process.env.CI) throw new Error(`[e2e] ${message} End-to-end tests are required in CI.`);
    console.warn(`\n[e2e] SKIPPING the end-to-end suite: ${message}\n`);
    project.provide("chromiumPath", null);
    project.provide("port", 0);
    project.provide("databaseKind", "none");
    project.provide("mailUrl", "");
    project.provide("twilioPort", 0);
    return;
  }

  buildIfStale();

  const cleanups: (() => Promise<void> | void)[] = [];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "test",
    HOST: "localhost",
    BASE_DOMAIN: "localhost",
    WEB_DIST_DIR: join(webDir, "dist"),
    LOG_LEVEL: "warn",
    SHUTDOWN_DRAIN_SECONDS: "0",
    // Every journey signs in and up from 127.0.0.1: the per-address limit of open procedures would refuse them.
    AUTH_RATE_LIMIT_PER_MINUTE: "0",
    // Journeys receive webhooks and answer as an AI provider on http://127.0.0.1 (a development-only allowance).
    WEBHOOKS_ALLOW_HTTP_LOCALHOST: "true",
    // The platform journey signs this address up and verifies it by mail: it becomes a platform admin (platform.spec.ts).
    PLATFORM_ADMIN_EMAILS: "operator@platform.test",
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_OWNER_URL;

  let databaseKind: string;
  try {
    if (process.env.SB_TEST_DATABASE_URL) {
      // Imported only here: the PGlite path needs neither package's database driver.
      const { createTestDatabase } = await import("@switchboard/db/testing");
      const { seed } = await import("@switchboard/db");
      const { hashPassword } = await import("@switchboard/auth");
      const db = await createTestDatabase();
      cleanups.push(() => db.close());
      await seed(db.app, { hashPassword });
      env.DATABASE_URL = db.appUrl!;
      databaseKind = "postgres";
    } else {
      const dataDir = mkdtempSync(join(tmpdir(), "sb-e2e-pglite-"));
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      env.DATA_DIR = dataDir;
      databaseKind = "pglite";
    }

    const { startMailCatcher } = await import("@switchboard/jobs/mail-catcher");
    const catcher = await startMailCatcher({ uiPort: 0 });
    cleanups.push(() => catcher.close());
    env.SMTP_URL = catcher.smtpUrl;

    const port = await freePort();
    env.PORT = String(port);
    // Replies in SMS / WhatsApp conversations go to a fake Twilio a journey starts on this port, never to Twilio.
    const twilioPort = await freePort();
    env.TWILIO_API_BASE_URL = `http://127.0.0.1:${twilioPort}`;
    // The API from source (always current); its bundle when tsx is not installed.
    const fromSource = existsSync(join(apiDir, "node_modules", "tsx"));
    const args = fromSource ? ["--import", "tsx", "src/server.ts"] : ["dist/server.mjs"];
    if (!fromSource && !existsSync(join(apiDir, "dist", "server.mjs"))) {
      throw new Error("[e2e] cannot start the API: neither tsx nor apps/api/dist/server.mjs is available");
    }
    let output = "";
    const api = spawn(process.execPath, args, { cwd: apiDir, env, stdio: ["ignore", "pipe", "pipe"] });
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      if (process.env.E2E_API_LOGS) process.stderr.write(chunk);
    };
    api.stdout.on("data", collect);
    api.stderr.on("data", collect);
    cleanups.push(
      () =>
        new Promise<void>((done) => {
          if (api.exitCode !== null) return done();
          const force = setTimeout(() => api.kill("SIGKILL"), 10_000);
          api.once("exit", () => {
            clearTimeout(force);
            done();
          });
          api.kill("SIGTERM");
        }),
    );
    await waitForReady(port, api, () => output);
    console.log(
      `[e2e] API on http://localhost:${port} (${databaseKind}, ${fromSource ? "source" : "bundle"}), mail at ${catcher.uiUrl}, Chromium ${chromiumPath}`,
    );

    project.provide("chromiumPath", chromiumPath);
    project.provide("port", port);
    project.provide("databaseKind", databaseKind);
    project.provide("mailUrl", catcher.uiUrl!);
    project.provide("twilioPort", twilioPort);
  } catch (error) {
    await teardown(cleanups);
    throw error;
  }

  return () => teardown(cleanups);
}

async function teardown(cleanups: (() => Promise<void> | void)[]) {
  // Last started, first stopped: the API before its database.
  for (const cleanup of cleanups.reverse()) await cleanup();
}
