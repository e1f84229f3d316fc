// CPU profile + statement count of calls.list through the full stack (not part of `pnpm bench`):
// quick dataset (or --tenants N), one API replica under `node --cpu-prof`, raw stack beside it, autocannon rounds
// interleaved raw → cookie → API key, then one cookie and one API-key request with `log_statement = all` to count
// the statements per request. Writes the profile and its summary to bench/results/<label>-profile.{json,cpuprofile}
// (the .cpuprofile is not committed) and prints throughput and ratios.
//   node scripts/bench/profile-list.mjs [--label list-profiled] [--seconds 5] [--rounds 3] [--no-profile]
//     [--tenants 1000] [--days 10] [--typical] [--pg-stats] [--targets raw,cookie,apiKey,typicalApiKey]
//     [--server a/server.mjs --server-b b/server.mjs] [--dataset-cache dir]
// `--typical` adds the typical build (typical-server.mjs) as targets typicalCookie / typicalApiKey; `--pg-stats` loads
// pg_stat_statements in the throwaway cluster and reports, per target, each statement's calls and execution time
// per request over the measured rounds (load-independent: what the database is asked to do per request).
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildDataset, loadTenants, mintSession, mintApiKey, cursorsFor } from "./dataset.mjs";
import { cpuMeter, delayProxy, load, median, sleep } from "./lib.mjs";
import { summarize } from "./cpuprofile-summary.mjs";
import { Replica, root } from "../lib/stack.mjs";
import { freePort } from "../lib/postgres-cluster.mjs";
import { request, waitFor } from "../lib/http.mjs";

const { values: opts } = parseArgs({
  options: {
    label: { type: "string", default: "list-profile" },
    seconds: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    tenants: { type: "string", default: "100" },
    days: { type: "string", default: "10" },
    typical: { type: "boolean", default: false },
    // Profile the typical build too (bench/results/<label>-typical.cpuprofile), to compare per request.
    "profile-typical": { type: "boolean", default: false },
    "pg-stats": { type: "boolean", default: false },
    // Keep the loaded dataset's cluster here and start later runs from a copy (same --tenants/--days).
    "dataset-cache": { type: "string" },
    // A subset of the targets, in this order (default: all of them).
    targets: { type: "string" },
    "no-profile": { type: "boolean", default: false },
    // Also load the API's cheaper layers (see `layers` below) to split the per-request cost.
    layers: { type: "boolean", default: false },
    // Emulated network between the servers and PostgreSQL: each direction delayed by this many ms (0: loopback).
    "pg-delay-ms": { type: "string", default: "0" },
    connections: { type: "string", default: "16" },
    // Another build of the API (e.g. a copy of apps/api/dist from the commit before), for same-machine A/B runs.
    server: { type: "string" },
    "server-b": { type: "string" },
    alternate: { type: "boolean", default: false },
    // Warm-up seconds per target before the measured rounds.
    warmup: { type: "string", default: "2" },
  },
});
const seconds = Number(opts.seconds);
const rounds = Number(opts.rounds);
const { database, owner } = await buildDataset({
  tenants: Number(opts.tenants),
  days: Number(opts.days),
  cacheDir: opts["dataset-cache"],
  ...(opts["pg-stats"] ? { extraConfig: ["-c shared_preload_libraries=pg_stat_statements", "-c pg_stat_statements.track=all"] } : {}),
  scale: 1,
  seed: 42,
  until: "2026-01-01T00:00:00Z",
});
const pgDelayMs = Number(opts["pg-delay-ms"]);
const connections = Number(opts.connections);
// Both servers reach PostgreSQL through the same kind of link.
const viaLink = async (url) => {
  if (!pgDelayMs) return url;
  const u = new URL(url);
  const proxy = await delayProxy({ targetPort: Number(u.port), delayMs: pgDelayMs });
  u.port = String(proxy.port);
  return u.toString();
};
const appUrl = await viaLink(database.appUrl);
const ownerUrl = await viaLink(database.ownerUrl);
const profDir = mkdtempSync(join(tmpdir(), "sb-prof-"));
const env = {
  DATABASE_URL: appUrl,
  NODE_ENV: "production",
  COOKIE_SECURE: "false",
  LOG_LEVEL: "warn",
  DB_POOL_MAX: "10",
  BASE_DOMAIN: "localhost",
  SHUTDOWN_DRAIN_SECONDS: "0",
  // Measure requests alone: no job worker polling in the measured process (as `pnpm bench` runs it).
  WORKER: "false",
  // Production refuses to start without a key for secrets at rest; a fresh one per run is enough here.
  ENCRYPTION_KEY: randomBytes(32).toString("base64"),
};
const out = {
  label: opts.label,
  date: new Date().toISOString(),
  loadAvgAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  settings: { connections: Number(opts.connections), seconds: Number(opts.seconds), rounds: Number(opts.rounds), pgDelayMs: Number(opts["pg-delay-ms"]) },
};
const tenants = await loadTenants(owner);
const cursors = await cursorsFor(
  owner,
  tenants.map((t) => t.id),
);
const rawPort = await freePort();
const raw = spawn(process.execPath, [join(root, "scripts/bench/raw-server.mjs")], {
  env: {
    ...process.env,
    DATABASE_URL: ownerUrl,
    PORT: String(rawPort),
    DB_POOL_MAX: "10",
    NODE_ENV: "production",
  },
  stdio: ["ignore", "inherit", "inherit"],
});
await waitFor(async () => (await request({ port: rawPort, path: "/readyz" })).status === 200, {
  timeoutMs: 15_000,
});
const typicalPort = opts.typical ? await freePort() : null;
const typical = opts.typical
  ? spawn(process.execPath, [...(opts["profile-typical"] ? ["--cpu-prof", `--cpu-prof-dir=${profDir}`] : []), join(root, "scripts/bench/typical-server.mjs")], {
      env: { ...process.env, DATABASE_URL: ownerUrl, PORT: String(typicalPort), DB_POOL_MAX: "10", NODE_ENV: "production" },
      stdio: ["ignore", "inherit", "inherit"],
    })
  : null;
if (typical)
  await waitFor(async () => (await request({ port: typicalPort, path: "/readyz" })).status === 200, { timeoutMs: 15_000 });
// Replica with `--cpu-prof` (not allowed in NODE_OPTIONS): same spawn as stack.mjs's Replica.start.
const api = new Replica(0, env);
api.port = await freePort();
api.proc = spawn(
  process.execPath,
  [
    ...(opts["no-profile"] ? [] : ["--cpu-prof", `--cpu-prof-dir=${profDir}`]),
    opts.server ?? join(root, "apps/api/dist/server.mjs"),
  ],
  {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(api.port), HOST: "127.0.0.1" },
    stdio: ["ignore", "inherit", "inherit"],
  },
);
api.exited = new Promise((r) => api.proc.once("exit", r));
await waitFor(async () => (await request({ port: api.port, path: "/readyz" })).status === 200, {
  timeoutMs: 30_000,
});
// A second API build beside the first (`--server-b`): targets cookieB / apiKeyB, for a same-run A/B whose rounds
// alternate A and B (e.g. the API before a refactor against the one after it).
const apiB = opts["server-b"] ? new Replica(1, env) : null;
if (apiB) {
  apiB.port = await freePort();
  apiB.proc = spawn(process.execPath, [opts["server-b"]], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(apiB.port), HOST: "127.0.0.1" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  apiB.exited = new Promise((r) => apiB.proc.once("exit", r));
  await waitFor(async () => (await request({ port: apiB.port, path: "/readyz" })).status === 200, { timeoutMs: 30_000 });
}
const specs = [];
const session = new Map();
const key = new Map();
for (const t of tenants) {
  session.set(t.id, await mintSession(owner, t.users.viewer));
  key.set(t.id, await mintApiKey(owner, t.id, "viewer"));
  for (const cursor of cursors.get(t.id) ?? []) specs.push({ t, cursor });
}
let i = 0;
const next = () => specs[(i = (i + 7919) % specs.length)];
const input = (cursor) => encodeURIComponent(JSON.stringify({ status: "completed", limit: 50, cursor }));
const targets = {
  raw: {
    port: rawPort,
    pick: () => {
      const { t, cursor } = next();
      return { path: `/calls?tenant=${t.id}&status=completed&limit=50&cursor=${cursor}` };
    },
  },
  cookie: {
    port: api.port,
    pick: () => {
      const { t, cursor } = next();
      return {
        path: `/trpc/calls.list?input=${input(cursor)}`,
        headers: { "x-tenant": t.slug, cookie: session.get(t.id) },
      };
    },
  },
  apiKey: {
    port: api.port,
    pick: () => {
      const { t, cursor } = next();
      return { path: `/trpc/calls.list?input=${input(cursor)}`, headers: { authorization: key.get(t.id) } };
    },
  },
};
if (apiB) Object.assign(targets, { cookieB: { ...targets.cookie, port: apiB.port }, apiKeyB: { ...targets.apiKey, port: apiB.port } });
if (typical) {
  const as = (target) => ({ ...target, port: typicalPort });
  Object.assign(targets, { typicalCookie: as(targets.cookie), typicalApiKey: as(targets.apiKey) });
}
// Layers of the same API process, cheapest first: Fastify with every plugin and hook but no tRPC (/healthz);
// + tRPC dispatch without any database work (calls.list with no credentials: UNAUTHORIZED, 401); the raw
// stack's bare route running `select 1` (/readyz), for the per-request floor of each process.
if (opts.layers) {
  Object.assign(targets, {
    apiHealthz: { port: api.port, pick: () => ({ path: "/healthz" }) },
    apiTrpc401: { port: api.port, pick: () => ({ path: `/trpc/calls.list?input=${input(undefined)}` }) },
    rawSelect1: { port: rawPort, pick: () => ({ path: "/readyz" }) },
  });
}
// The typical build must answer exactly what the API answers (same bytes) for the comparison to be fair.
if (typical) {
  let same = 0;
  for (let k = 0; k < 20; k++) {
    const r = targets.apiKey.pick();
    const [a, b] = await Promise.all([api.port, typicalPort].map((port) => request({ port, path: r.path, headers: r.headers })));
    if (a.status === 200 && a.text === b.text) same++;
    else if (k === 0) console.log("[profile] typical differs:", a.status, a.text.slice(0, 300), "\n", b.status, b.text.slice(0, 300));
  }
  out.typicalSameResponses = `${same}/20`;
  console.log(`[profile] typical build answers the same bytes as the API: ${same}/20`);
}
if (opts.targets) {
  const wanted = opts.targets.split(",");
  for (const name of wanted) if (!targets[name]) throw new Error(`unknown target ${name} (${Object.keys(targets).join(", ")})`);
  for (const name of Object.keys(targets)) if (!wanted.includes(name)) delete targets[name];
}
const pidOf = (port) => (port === rawPort ? raw.pid : port === typicalPort ? typical.pid : port === apiB?.port ? apiB.proc.pid : api.proc.pid);
// pg_stat_statements: what each target asks of the database, summed over its measured rounds.
const pgStats = opts["pg-stats"] ? Object.fromEntries(Object.keys(targets).map((k) => [k, { requests: 0, byQuery: new Map() }])) : null;
if (pgStats) await owner`create extension if not exists pg_stat_statements`;
// Requests served per process (warm-up included), to turn a profile's busy time into ms per request.
const served = new Map();
const count = (port, res) => served.set(port, (served.get(port) ?? 0) + res.requests);
for (const target of Object.values(targets)) count(target.port, await load({ ...target, connections, seconds: Number(opts.warmup) }));
const runs = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
for (let r = 0; r < rounds; r++) {
  // `--alternate`: every other round runs the targets in reverse order, so none is always first after another.
  const order = opts.alternate && r % 2 ? Object.entries(targets).reverse() : Object.entries(targets);
  for (const [name, target] of order) {
    const meter = cpuMeter({ serverPid: pidOf(target.port), dataDir: database.cluster.dataDir });
    if (pgStats) await owner`select pg_stat_statements_reset()`;
    meter.start();
    const res = await load({ ...target, connections, seconds });
    res.cpuMsPerRequest = meter.stop(res.requests);
    count(target.port, res);
    if (pgStats) {
      const stats = pgStats[name];
      stats.requests += res.requests;
      const rows = await owner`select query, calls::int, total_exec_time, total_plan_time, rows::int
        from pg_stat_statements where query not like '%pg_stat_statements%'`;
      for (const row of rows) {
        const q = row.query.replace(/\s+/g, " ").slice(0, 140);
        const acc = stats.byQuery.get(q) ?? { calls: 0, execMs: 0, planMs: 0, rows: 0 };
        acc.calls += row.calls;
        acc.execMs += row.total_exec_time;
        acc.planMs += row.total_plan_time;
        acc.rows += row.rows;
        stats.byQuery.set(q, acc);
      }
    }
    runs[name].push(res);
    console.log(
      `[profile] ${name.padEnd(10)} round ${r + 1}: ${res.reqPerSec} req/s p50 ${res.p50} ms non-2xx ${res.non2xx} errors ${res.errors}` +
        ` cpu ms/req server ${res.cpuMsPerRequest.server} postgres ${res.cpuMsPerRequest.postgres} load ${res.cpuMsPerRequest.load}`,
    );
  }
}
for (const [name, xs] of Object.entries(runs))
  out[name] = {
    reqPerSec: median(xs.map((x) => x.reqPerSec)),
    p50: median(xs.map((x) => x.p50)),
    p99: median(xs.map((x) => x.p99)),
    rounds: xs.map((x) => x.reqPerSec),
    cpuMsPerRequest: Object.fromEntries(
      ["server", "postgres", "load"].map((k) => [k, median(xs.map((x) => x.cpuMsPerRequest[k]))]),
    ),
    non2xx: xs.reduce((n, x) => n + x.non2xx, 0),
  };
const ratio = (a, b) => (out[a] && out[b] ? Math.round((out[a].reqPerSec / out[b].reqPerSec) * 100) / 100 : null);
out.ratioCookie = ratio("cookie", "raw");
out.ratioApiKey = ratio("apiKey", "raw");
out.typicalRatioCookie = ratio("cookie", "typicalCookie");
out.typicalRatioApiKey = ratio("apiKey", "typicalApiKey");
// Same-run A/B: B ÷ A (`--server-b` over `--server`).
out.abRatioCookie = ratio("cookieB", "cookie");
out.abRatioApiKey = ratio("apiKeyB", "apiKey");
if (pgStats) {
  const per = (x, n) => Math.round((x / Math.max(1, n)) * 1000) / 1000;
  out.pgStats = Object.fromEntries(
    Object.entries(pgStats).map(([name, { requests, byQuery }]) => {
      const list = [...byQuery.entries()]
        .map(([query, a]) => ({ query, callsPerRequest: per(a.calls, requests), execMsPerRequest: per(a.execMs, requests), planMsPerRequest: per(a.planMs, requests) }))
        .filter((q) => q.callsPerRequest >= 0.001)
        .sort((a, b) => b.callsPerRequest - a.callsPerRequest);
      const sum = (k) => Math.round(list.reduce((n, q) => n + q[k], 0) * 1000) / 1000;
      return [name, { requests, statementsPerRequest: sum("callsPerRequest"), execMsPerRequest: sum("execMsPerRequest"), planMsPerRequest: sum("planMsPerRequest"), statements: list }];
    }),
  );
}
// Statements per request: log_statement = all for one request of each kind (after warm-up: caches are filled).
const logFile = database.cluster.logFile;
const statements = {};
await owner`alter system set log_statement = 'all'`;
await owner`select pg_reload_conf()`;
await sleep(300);
for (const name of ["cookie", "apiKey"].filter((n) => targets[n])) {
  const before = readFileSync(logFile, "utf8").length;
  const r = targets[name].pick();
  const res = await request({ port: api.port, path: r.path, headers: r.headers });
  await sleep(300);
  const lines = readFileSync(logFile, "utf8")
    .slice(before)
    .split("\n")
    .filter((l) => /LOG:\s+(statement|execute)/.test(l));
  statements[name] = {
    status: res.status,
    count: lines.length,
    statements: lines.map((l) => l.replace(/^.*?LOG:\s+/, "").slice(0, 160)),
  };
}
await owner`alter system reset log_statement`;
await owner`select pg_reload_conf()`;
out.statements = statements;
out.requestsServed = { api: served.get(api.port) ?? 0, typical: served.get(typicalPort) ?? 0 };
out.loadAvgAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
await api.stop();
await apiB?.stop();
raw.kill("SIGTERM");
typical?.kill("SIGTERM");
await new Promise((r) => (typical && typical.exitCode === null ? typical.once("exit", r) : r()));
if (!opts["no-profile"]) {
  await sleep(500);
  const files = readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile"));
  const mine = files.find((f) => f.includes(`.${api.proc.pid}.`)) ?? files[0];
  if (mine) {
    const dest = join(root, "bench/results", `${opts.label}.cpuprofile`);
    copyFileSync(join(profDir, mine), dest);
    out.profile = summarize(dest, { top: 30 });
  } else out.profile = null;
  const theirs = typical && files.find((f) => f.includes(`.${typical.pid}.`));
  if (theirs) {
    const dest = join(root, "bench/results", `${opts.label}-typical.cpuprofile`);
    copyFileSync(join(profDir, theirs), dest);
    out.typicalProfile = summarize(dest, { top: 30 });
  }
}
writeFileSync(join(root, "bench/results", `${opts.label}.json`), JSON.stringify(out, null, 2));
console.log(
  JSON.stringify(
    {
      ...Object.fromEntries(Object.keys(targets).map((k) => [k, out[k]])),
      ratioCookie: out.ratioCookie,
      ratioApiKey: out.ratioApiKey,
      typicalRatioCookie: out.typicalRatioCookie,
      typicalRatioApiKey: out.typicalRatioApiKey,
      abRatioCookie: out.abRatioCookie,
      abRatioApiKey: out.abRatioApiKey,
      load: [out.loadAvgAtStart, out.loadAvgAtEnd],
    },
    null,
    1,
  ),
);
for (const [n, s] of Object.entries(statements))
  console.log(n, s.status, s.count, "\n  " + s.statements.join("\n  "));
for (const [n, s] of Object.entries(out.pgStats ?? {})) {
  console.log(`pg_stat_statements ${n}: ${s.statementsPerRequest} statements, exec ${s.execMsPerRequest} ms, plan ${s.planMsPerRequest} ms per request`);
  for (const q of s.statements) console.log(`  ${String(q.callsPerRequest).padEnd(6)} ${String(q.execMsPerRequest).padEnd(6)} ${q.query}`);
}
await owner.end();
await database.cluster.stop?.();
process.exit(0);
