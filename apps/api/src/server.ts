/**
 * Process entry point: configuration, database, HTTP server, and one drain-then-exit path (shutdown.ts) for
 * SIGTERM/SIGINT (exit 0) and uncaught exceptions/rejections (logged, exit 1): readiness turns 503, the worker stops
 * fetching jobs and finishes running ones, in-flight requests and streams drain, then the pool closes.
 */
import { grantListedPlatformAdmins } from "@switchboard/auth";
import { buildApp } from "./app";
import { openDatabase } from "./database";
import { loadEnv } from "./env";
import { findWebRoot } from "./paths";
import { handleShutdown } from "./shutdown";
import { aiDescription } from "./ai-replies";
import { mailDescription, startWorker } from "./worker";

async function main() {
  const env = loadEnv();
  const { db, demo } = await openDatabase(env);
  // PLATFORM_ADMIN_EMAILS: listed accounts with a verified address are platform admins from the start.
  await grantListedPlatformAdmins(db.db, env.PLATFORM_ADMIN_EMAILS);
  const app = await buildApp({ env, db, webRoot: findWebRoot(env.WEB_DIST_DIR) });
  await app.listen({ port: env.PORT, host: env.HOST });
  const worker = await startWorker(env, db, app.log);

  const port = (app.server.address() as { port: number }).port;
  const url = (slug?: string) => `http://${slug ? `${slug}.` : ""}${env.BASE_DOMAIN}:${port}`;
  const lines = [
    "",
    `Switchboard is running on ${db.kind === "pglite" ? `embedded PGlite (${env.DATA_DIR})` : "PostgreSQL"}`,
    `  Tenant picker: ${url()}`,
    `  Background jobs: ${worker ? "this process" : "off here (WORKER=false)"}; mail: ${mailDescription(env)}`,
    `  AI replies: ${aiDescription(env)}`,
  ];
  if (demo) {
    for (const t of demo.tenants) lines.push(`  ${t.name.padEnd(18)} ${url(t.slug)}${t.parentSlug ? `  (department of ${t.parentSlug})` : ""}`);
    lines.push("", `  Demo logins (password: ${demo.password}):`);
    for (const l of demo.logins) lines.push(`    ${l.email.padEnd(20)} ${l.role.padEnd(7)} in ${l.tenant}`);
    if (demo.platformAdmin) {
      lines.push(
        `  Platform console: ${url()}/platform as ${demo.platformAdmin.email}`,
        "    (platform powers need two-factor authentication: turn it on under Security first)",
      );
    }
  }
  console.log(lines.join("\n") + "\n");

  // One drain-then-exit path for signals and uncaught errors (shutdown.ts).
  const drainSeconds = env.SHUTDOWN_DRAIN_SECONDS;
  const readinessPauseMs = Math.min(drainSeconds, 2) * 1000;
  handleShutdown({
    log: app.log,
    drainMs: drainSeconds * 1000,
    marginMs: readinessPauseMs + 5000,
    async drain() {
      app.lifecycle.draining = true;
      const workerStopped = worker?.stop(drainSeconds * 1000);
      // Give load balancers time to see /readyz fail before the listener closes (the chart's preStop covers this
      // in Kubernetes; locally it is short).
      await new Promise((r) => setTimeout(r, readinessPauseMs));
      await Promise.all([app.close(), workerStopped]);
      await db.close();
    },
  });
}

main().catch((err: Error) => {
  console.error(`switchboard: ${err.message}`);
  process.exit(1);
});
