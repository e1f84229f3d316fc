// 9. Purge after archive (issue #15): a tenant of ≥ 100,000 rows (calls, engagements, messages, events, leads,
// contacts, handles, labels…: the data generator at a larger scale) is archived past its grace period and purged by
// the real job (`purge.tenant` in the worker of an API process, replica B) while another tenant is under calls.list
// load on replica A (closed loop, `connections` keep-alive connections, an API key, pages like list.mjs's).
//   purge     enqueue → the tenant row gone (the goal: ≤ 60 s), and the job's own time and batches (pgboss output)
//   latency   calls.list p50/p99 of the other tenant before the purge, during it, and after it, in the same run on the
//             same processes; the baseline is before and after together (the goal: p99 during ≤ 2 × baseline)
import http from "node:http";
import { sleep, summarize } from "./lib.mjs";
import { mintApiKey } from "./dataset.mjs";

/** Rows of every table with a tenant_id, for one tenant (as the owner). */
async function tenantRows(owner, tenantId) {
  const tables = await owner`select c.table_name from information_schema.columns c join information_schema.tables t
    on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE' order by 1`;
  const out = {};
  for (const { table_name: table } of tables) {
    const [{ n }] = await owner.unsafe(`select count(*)::int as n from "${table}" where tenant_id = $1`, [tenantId]);
    if (n > 0) out[table] = n;
  }
  return out;
}

/**
 * A closed-loop load generator that keeps every latency: `connections` loops, each sending the next request as soon
 * as the last one answered. `mark(name)` starts a new phase; `stop()` answers the latencies per phase.
 */
function closedLoop({ port, connections, next }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const phases = [];
  let current = null;
  let running = true;
  const mark = (name) => {
    const now = performance.now();
    if (current) current.ended = now;
    current = { name, ms: [], errors: 0, started: now, ended: null };
    phases.push(current);
  };
  const one = () =>
    new Promise((resolve) => {
      const { path, headers } = next();
      const t0 = performance.now();
      const done = (ok) => {
        if (ok) current.ms.push(performance.now() - t0);
        else current.errors += 1;
        resolve();
      };
      const req = http.get({ host: "127.0.0.1", port, path, headers, agent }, (res) => {
        res.resume();
        res.on("end", () => done(res.statusCode === 200));
      });
      req.on("error", () => done(false));
    });
  mark("warmup");
  const loops = Array.from({ length: connections }, async () => {
    while (running) await one();
  });
  return {
    mark,
    async stop() {
      current.ended = performance.now();
      running = false;
      await Promise.all(loops);
      agent.destroy();
      const out = {};
      for (const p of phases) {
        const seconds = (p.ended - p.started) / 1000;
        out[p.name] = { ...summarize(p.ms), errors: p.errors, seconds: Math.round(seconds * 10) / 10, reqPerSec: Math.round(p.ms.length / seconds) };
      }
      /** Latencies of several phases together (their summary). */
      out.merged = (...names) => summarize(phases.filter((p) => names.includes(p.name)).flatMap((p) => p.ms));
      return out;
    },
  };
}

export async function benchPurge({ a, owner, database, other, cursors, connections, seconds, warmupSeconds, scale, days }) {
  // The tenant to purge: generated like the others, at a scale that gives ≥ 100,000 rows.
  const t0 = Date.now();
  const r = database.seed(["--tenants", "1", "--days", String(days), "--scale", String(scale), "--seed", "15", "--until", "2026-01-01T00:00:00Z", "--prefix", "purge"]);
  if (r.status !== 0) throw new Error("seeding the tenant to purge failed");
  const [doomed] = await owner`select id, slug from tenants where slug = 'purge-00001'`;
  await owner`vacuum analyze`;
  const seedMs = Date.now() - t0;
  const rows = await tenantRows(owner, doomed.id);
  const totalRows = Object.values(rows).reduce((n, x) => n + x, 0);
  console.log(`[bench] purge: tenant ${doomed.slug} with ${totalRows} rows ${JSON.stringify(rows)} (seeded in ${(seedMs / 1000).toFixed(1)} s)`);
  await owner`update tenants set status = 'archived', archived_at = now() - interval '31 days', purge_after = now() - interval '1 second' where id = ${doomed.id}`;

  // The loaded tenant: its own budget out of the way (one tenant takes the whole load here).
  await owner`update tenants set requests_per_minute = 1000000 where id = ${other.id}`;
  const authorization = await mintApiKey(owner, other.id, "viewer", "bench-purge");
  const pages = cursors.get(other.id) ?? [];
  let i = 0;
  const next = () => {
    const cursor = pages[i++ % Math.max(1, pages.length)];
    const input = encodeURIComponent(JSON.stringify({ status: "completed", limit: 50, ...(cursor ? { cursor } : {}) }));
    return { path: `/trpc/calls.list?input=${input}`, headers: { authorization } };
  };

  const loop = closedLoop({ port: a.port, connections, next });
  await sleep(warmupSeconds * 1000);
  loop.mark("before");
  await sleep(seconds * 1000);
  loop.mark("during");
  // The job as the hourly purge.due would enqueue it, woken at once (runner.ts listens on jobs_wake).
  const enqueuedAt = Date.now();
  const [job] = await owner`insert into pgboss.job (name, data, policy) values ('purge.tenant', ${owner.json({ tenantId: doomed.id })}, 'standard') returning id`;
  await owner`select pg_notify('jobs_wake', 'purge.tenant')`;
  const deadline = enqueuedAt + 300_000;
  for (;;) {
    const [left] = await owner`select count(*)::int as n from tenants where id = ${doomed.id}`;
    if (left.n === 0) break;
    if (Date.now() > deadline) throw new Error("the purge did not finish within 300 s");
    await sleep(100);
  }
  const purgeMs = Date.now() - enqueuedAt;
  loop.mark("after");
  await sleep(seconds * 1000);
  const latency = await loop.stop();
  // The baseline: before and after together, so a drift of the machine's load during the run (other work shares it)
  // counts on both sides of the purge alike.
  latency.baseline = latency.merged("before", "after");
  delete latency.merged;
  delete latency.warmup;

  let result = null;
  for (let k = 0; k < 50 && !result; k++) {
    const [row] = await owner`select state, output, extract(epoch from (completed_on - started_on)) * 1000 as ms from pgboss.job where id = ${job.id}`;
    if (row?.state === "completed") result = row;
    else await sleep(100);
  }
  const [audit] = await owner`select details from platform_audit where target_tenant_id = ${doomed.id} and action = 'tenant.purged'`;
  const left = await tenantRows(owner, doomed.id);
  const ratio = (x, y) => Math.round((x / y) * 100) / 100;
  const p99Ratio = ratio(latency.during.p99, latency.baseline.p99);
  const out = {
    rows: totalRows,
    rowsPerTable: rows,
    purgeSeconds: Math.round(purgeMs / 100) / 10,
    job: result ? { ms: Math.round(Number(result.ms)), batches: result.output?.batches, deleted: result.output?.deleted } : null,
    rowsLeft: Object.values(left).reduce((n, x) => n + x, 0),
    audited: Boolean(audit),
    latency,
    p99Ratio,
    goals: { purgeSeconds: 60, p99Ratio: 2 },
    met: purgeMs <= 60_000 && p99Ratio <= 2,
    settings: { connections, seconds, warmupSeconds, loadedTenant: other.slug, scale, days, batch: "500 rows, 5 ms pause (purgeDefaults)" },
  };
  console.log(
    `[bench] purge: ${totalRows} rows in ${out.purgeSeconds} s (job ${out.job?.ms} ms, ${out.job?.batches} batches); calls.list p99 before ${latency.before.p99} ms, during ${latency.during.p99} ms, after ${latency.after.p99} ms ; during ÷ baseline (before and after) ×${p99Ratio}`,
  );
  return out;
}
