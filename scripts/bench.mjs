#!/usr/bin/env node
// `pnpm bench`: Switchboard measured side by side against the raw stack, the typical build and the goals of
// issues #7 and #12, on a reproducible dataset in a throwaway PostgreSQL cluster. Not part of `pnpm test` or CI.
//
//   pnpm bench                         full dataset (1,000 tenants, ≥1M calls), writes bench/results/latest.{md,json}
//   pnpm bench --quick                 small dataset and short rounds, for iterating
//   pnpm bench --label before          names the result files (bench/results/before.{md,json})
//   pnpm bench --skip-build            use the existing apps/api/dist and apps/web/dist
//   pnpm bench --tenants 100           the full dataset's shape over fewer tenants (sizing a run)
//   pnpm bench --only list,rls         sections: list, rls, events, search, thread, message-events, startup,
//                                      dashboard, webhooks, exports (1M calls added to one tenant, so after the
//                                      others), purge (a tenant of 100,000 rows purged under load), migration (not in
//                                      the default set: it rewrites the dataset)
//
// Everything runs on this machine: PostgreSQL (fsync off), the API processes, the two baselines, the load
// generator (autocannon) and Chromium share its cores. See bench/README.md.
import { randomBytes } from "node:crypto";
import { execSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildOnce, Replica, root } from "./lib/stack.mjs";
import { freePort } from "./lib/postgres-cluster.mjs";
import { waitFor, request } from "./lib/http.mjs";
import { buildDataset, cursorsFor, loadTenants, mintApiKey, mintSession } from "./bench/dataset.mjs";
import { benchList } from "./bench/list.mjs";
import { benchRls } from "./bench/rls.mjs";
import { benchEvents } from "./bench/events.mjs";
import { benchStartup } from "./bench/startup.mjs";
import { benchDashboard } from "./bench/dashboard.mjs";
import { benchMessageEvents, benchSearch, benchThread } from "./bench/conversations.mjs";
import { benchMigration } from "./bench/migration.mjs";
import { benchWebhooks } from "./bench/webhooks.mjs";
import { benchExports } from "./bench/exports.mjs";
import { benchPurge } from "./bench/purge.mjs";
import { renderMarkdown } from "./bench/report.mjs";
import { spawn } from "node:child_process";

const { values: opts } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    label: { type: "string", default: "latest" },
    "skip-build": { type: "boolean", default: false },
    only: { type: "string" },
    tenants: { type: "string" },
    // Start from a saved copy of the generated dataset (same arguments) instead of generating it again; the first
    // run with the flag saves it there (scripts/bench/dataset.mjs).
    "dataset-cache": { type: "string" },
  },
  strict: true,
});
const quick = opts.quick;
const known = ["list", "rls", "events", "search", "thread", "message-events", "webhooks", "exports", "purge", "startup", "dashboard", "migration"];
const sections = new Set((opts.only ?? "list,rls,events,search,thread,message-events,webhooks,exports,purge,startup,dashboard").split(","));
for (const s of sections) if (!known.includes(s)) throw new Error(`unknown section ${s} (${known.join(", ")})`);
// 1,000 tenants × 42 days at scale 1 ≈ 1.3M calls, 0.8M engagements, ≥ 5M messages; fixed --until so reruns are identical.
const dataset = quick
  ? { tenants: 100, days: 10, scale: 1, seed: 42, until: "2026-01-01T00:00:00Z" }
  : { tenants: 1000, days: 42, scale: 1, seed: 42, until: "2026-01-01T00:00:00Z" };
if (opts.tenants) dataset.tenants = Number(opts.tenants);
const load = quick
  ? { connections: 16, seconds: 3, rounds: 2, warmupSeconds: 2 }
  : { connections: 16, seconds: 10, rounds: 3, warmupSeconds: 5 };

const sh = (cmd) => {
  try {
    return execSync(cmd, { encoding: "utf8" }).trim();
  } catch {
    return null;
  }
};
const machine = {
  nproc: Number(sh("nproc")) || cpus().length,
  cpu: cpus()[0]?.model ?? sh("grep -m1 'model name' /proc/cpuinfo"),
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  freeH: sh("free -h"),
  node: process.version,
  postgres: sh("ls /usr/lib/postgresql | sort -n | tail -1"),
  os: sh(". /etc/os-release && echo $PRETTY_NAME"),
  commit: sh("git -C " + root + " rev-parse --short HEAD"),
  loadAvgAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  dirty: Boolean(sh("git -C " + root + " status --porcelain -- packages apps/api migrations")),
};

/** A baseline server (scripts/bench/<script>) on the owner role, same pool and NODE_ENV as the API replica. */
async function startBaseline(script, ownerUrl, poolMax) {
  const port = await freePort();
  const proc = spawn(process.execPath, [join(root, "scripts/bench", script)], {
    env: { ...process.env, DATABASE_URL: ownerUrl, PORT: String(port), DB_POOL_MAX: String(poolMax), NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitFor(async () => (await request({ port, path: "/readyz" })).status === 200, { timeoutMs: 15_000 });
  return { port, proc, stop: () => new Promise((r) => (proc.once("exit", r), proc.kill("SIGTERM"))) };
}

/** Runs a section; a failure is recorded in the results (and the run goes on) instead of losing the other sections. */
async function guarded(name, fn) {
  try {
    await fn();
  } catch (err) {
    console.error(`[bench] ${name} failed: ${err.stack ?? err}`);
    (results.errors ??= {})[name] = String(err.message ?? err).slice(0, 2000);
  }
}

const started = Date.now();
if (!opts["skip-build"]) buildOnce();
console.log(`[bench] dataset: ${JSON.stringify(dataset)}`);
const { database, owner, info } = await buildDataset({ ...dataset, cacheDir: opts["dataset-cache"] });
console.log(`[bench] ${JSON.stringify(info.counts)} (${info.databaseSize}); seed ${(info.seedMs / 1000).toFixed(1)} s, full-text indexes ${(info.indexMs / 1000).toFixed(1)} s`);
const poolMax = 10;
const env = {
  DATABASE_URL: database.appUrl,
  NODE_ENV: "production",
  COOKIE_SECURE: "false",
  LOG_LEVEL: "warn",
  DB_POOL_MAX: String(poolMax),
  BASE_DOMAIN: "localhost",
  SHUTDOWN_DRAIN_SECONDS: "0",
  // Measure requests alone: no job worker polling in the measured processes.
  WORKER: "false",
  // Production refuses to start without a key for secrets at rest; a fresh one per run is enough here.
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
};
const results = { label: opts.label, quick, date: new Date().toISOString(), machine, dataset: { ...dataset, ...info }, settings: { poolMax, ...load, env: { ...env, DATABASE_URL: "<app role>", ENCRYPTION_KEY: "<random, this run only>" } } };
const replicas = [];
try {
  const tenants = await loadTenants(owner);
  const cursors = await cursorsFor(owner, tenants.map((t) => t.id));
  if (["list", "dashboard", "search", "thread", "message-events"].some((s) => sections.has(s))) {
    const api = await new Replica(0, env).start();
    replicas.push(api);
    if (sections.has("list")) {
      const raw = await startBaseline("raw-server.mjs", database.ownerUrl, poolMax);
      const typical = await startBaseline("typical-server.mjs", database.ownerUrl, poolMax);
      const creds = { session: new Map(), viewerKey: new Map() };
      for (const t of tenants) {
        creds.session.set(t.id, await mintSession(owner, t.users.viewer));
        creds.viewerKey.set(t.id, await mintApiKey(owner, t.id, "viewer"));
      }
      try {
        results.list = await benchList({ api, raw, typical, dataDir: database.cluster.dataDir, tenants, cursors, creds, ...load });
      } finally {
        await raw.stop();
        await typical.stop();
      }
    }
    if (sections.has("dashboard")) {
      const [acme] = await owner`select u.id from users u join memberships m on m.user_id = u.id join tenants t on t.id = m.tenant_id where t.slug = 'acme' and m.role = 'owner' limit 1`;
      const cookie = (await mintSession(owner, acme.id)).split("=")[1];
      results.dashboard = await benchDashboard({ port: api.port, cookieValue: cookie, repeats: quick ? 2 : 5 });
    }
    if (sections.has("search")) {
      await guarded("search", async () => (results.search = await benchSearch({ api, owner, appUrl: database.appUrl, tenants, sample: quick ? 30 : 100 })));
    }
    if (sections.has("thread")) {
      await guarded("thread", async () => {
        results.thread = await benchThread({ api, owner, tenants, cursors, ...load });
        console.log(`[bench] calls.list ÷ messages.list throughput ${results.thread.throughputRatio}, p50 ratio ${results.thread.p50Ratio}`);
      });
    }
  }
  if (sections.has("rls")) {
    results.rls = await benchRls({ ownerUrl: database.ownerUrl, appUrl: database.appUrl, tenants, cursors, iterations: quick ? 300 : 2000 });
    console.log(`[bench] RLS p50 ratio ${JSON.stringify(results.rls.p50Ratio)}`);
  }
  if (sections.has("events")) {
    const a = replicas[0] ?? (await new Replica(0, env).start());
    if (!replicas.includes(a)) replicas.push(a);
    const b = await new Replica(1, env).start();
    replicas.push(b);
    // Tenants no other section wrote to, so budgets and streams start clean.
    results.events = await benchEvents({ a, b, owner, tenants: tenants.slice(tenants.length >= 600 ? 300 : 0), subscribers: quick ? 400 : 1000, events: quick ? 40 : 200, connections: load.connections, seconds: load.seconds });
  }
  if (sections.has("message-events")) {
    const a = replicas[0] ?? (await new Replica(0, env).start());
    if (!replicas.includes(a)) replicas.push(a);
    const b = replicas[1] ?? (await new Replica(1, env).start());
    if (!replicas.includes(b)) replicas.push(b);
    // Tenants the events section did not subscribe to or write in.
    await guarded("message-events", async () => {
      results.messageEvents = await benchMessageEvents({ a, b, owner, tenants: tenants.slice(tenants.length >= 600 ? 600 : 50), subscribers: quick ? 400 : 1000, events: quick ? 40 : 200 });
    });
  }
  for (const r of replicas) await r.stop();
  replicas.length = 0;
  if (sections.has("webhooks")) {
    // Local receivers listen on http://127.0.0.1, which only WEBHOOKS_ALLOW_HTTP_LOCALHOST admits, and that flag is
    // refused in production: these two replicas run as development (same build, same pool). A serves requests, B
    // runs the worker (the dispatcher); mail stays queued (no SMTP).
    const hooksEnv = { ...env, NODE_ENV: "development", WEBHOOKS_ALLOW_HTTP_LOCALHOST: "true" };
    const a = await new Replica(2, hooksEnv).start();
    const b = await new Replica(3, { ...hooksEnv, WORKER: "true" }).start();
    replicas.push(a, b);
    // Tenants no other section wrote to.
    await guarded("webhooks", async () => {
      results.webhooks = await benchWebhooks({ a, worker: b, owner, appUrl: database.appUrl, tenants: tenants.slice(tenants.length >= 900 ? 800 : Math.max(0, tenants.length - 112)), seconds: quick ? 10 : 60, rate: quick ? 200 : 1000, endpoints: 100 });
    });
    for (const r of replicas) await r.stop();
    replicas.length = 0;
  }
  if (sections.has("exports")) {
    // 1M calls added to one generated tenant (also with --quick: the goal is stated for 1M), exported by the worker of
    // a replica that serves the HTTP calls too. Production wants SMTP for a worker: a closed port (the ready mail waits).
    await guarded("exports", async () => {
      results.exports = await benchExports({ owner, env: { ...env, SMTP_URL: "smtp://127.0.0.1:9" }, dataDir: database.cluster.dataDir, tenant: tenants[0], calls: 1_000_000 });
    });
  }
  if (sections.has("startup")) results.startup = await benchStartup({ env, repeats: quick ? 1 : 3 });
  if (sections.has("purge")) {
    // A tenant of ≥ 100,000 rows purged by the worker of replica B (development mode: a worker in production wants
    // SMTP) while replica A serves calls.list to a tenant no other section loaded.
    const a = await new Replica(4, env).start();
    const b = await new Replica(5, { ...env, NODE_ENV: "development", WORKER: "true" }).start();
    replicas.push(a, b);
    await guarded("purge", async () => {
      results.purge = await benchPurge({ a, owner, database, other: tenants[Math.floor(tenants.length / 2)], cursors, ...load, scale: quick ? 3 : 7, days: 40 });
    });
    for (const r of replicas) await r.stop();
    replicas.length = 0;
  }
  // Last: it rewinds the dataset to its shape before issue #13 and migrates it again.
  if (sections.has("migration")) await guarded("migration", async () => (results.migration = await benchMigration({ database, owner, env })));
} finally {
  for (const r of replicas) await r.stop().catch(() => {});
  await owner.end();
  database.cluster.stop();
}
results.wallSeconds = Math.round((Date.now() - started) / 1000);
results.machine.loadAvgAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
const dir = join(root, "bench/results");
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `${opts.label}.json`), JSON.stringify(results, null, 2) + "\n");
const md = renderMarkdown(results);
writeFileSync(join(dir, `${opts.label}.md`), md);
console.log("\n" + md);
console.log(`[bench] wrote bench/results/${opts.label}.{md,json} in ${results.wallSeconds} s`);
