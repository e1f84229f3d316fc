// Issue #15's export goal: one export of 1M calls, run by the real job runner inside a real API process (WORKER on),
// at ≥ 50,000 rows/s with that process's RSS ≤ 250 MB throughout (sampled every 200 ms from /proc). The calls go
// into one generated tenant with generate_series (as the owner: seconds, not the app's insert path); the export is
// created, polled and downloaded over HTTP like the dashboard does, and the downloaded file is gunzipped and counted.
import { createGunzip } from "node:zlib";
import http from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Replica } from "../lib/stack.mjs";
import { trpcMutation, trpcQuery } from "../lib/http.mjs";
import { mintSession } from "./dataset.mjs";
import { clusterCpuMs, cpuMs, rssMb, rssSampler } from "./lib.mjs";

/** Adds `n` completed calls (with a transcript) to `tenantId`; answers the tenant's call count. */
async function addCalls(owner, tenantId, n) {
  await owner`
    insert into calls (tenant_id, direction, customer_phone, status, started_at, ended_at, outcome, sentiment, transcript, created_at, updated_at)
    select ${tenantId}, (case when g % 3 = 0 then 'outbound' else 'inbound' end)::call_direction,
      '+1555' || lpad((g % 10000000)::text, 7, '0'), 'completed', ts, ts + interval '3 minutes', 'resolved',
      (case g % 3 when 0 then 'positive' when 1 then 'neutral' else 'negative' end)::sentiment,
      'Customer asked about order ' || g || '; the agent confirmed the delivery date and sent a tracking link.', ts, ts
    from generate_series(1, ${n}::int) g, lateral (select timestamptz '2025-01-01' + g * interval '7 seconds' as ts) t`;
  await owner`vacuum analyze calls`;
  const [{ count }] = await owner`select count(*)::int as count from calls where tenant_id = ${tenantId}`;
  return count;
}

/** Streams the download through gunzip: compressed bytes, NDJSON lines, seconds. */
function download(port, host, path) {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    http
      .get({ host: "127.0.0.1", port, path, headers: { host } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`download answered ${res.statusCode}`));
        let bytes = 0;
        let lines = 0;
        res.on("data", (c) => (bytes += c.length));
        const gunzip = res.pipe(createGunzip());
        gunzip.on("data", (c) => {
          for (let i = c.indexOf(10); i !== -1; i = c.indexOf(10, i + 1)) lines++;
        });
        gunzip.on("end", () => resolve({ bytes, lines, seconds: (Date.now() - t0) / 1000, contentLength: Number(res.headers["content-length"]) }));
        gunzip.on("error", reject);
      })
      .on("error", reject);
  });
}

export async function benchExports({ owner, env, dataDir, tenant, calls = 1_000_000, format = "ndjson" }) {
  const t0 = Date.now();
  const rows = await addCalls(owner, tenant.id, calls);
  const seedSeconds = (Date.now() - t0) / 1000;
  console.log(`[bench] exports: ${rows} calls in ${tenant.slug} (${seedSeconds.toFixed(1)} s to add ${calls})`);

  const dir = mkdtempSync(join(tmpdir(), "sb-bench-exports-"));
  const api = await new Replica(4, { ...env, WORKER: "true", EXPORTS_DIR: dir }).start();
  try {
    const cookie = await mintSession(owner, tenant.users.admin ?? tenant.users.owner);
    const opts = { port: api.port, host: `${tenant.slug}.localhost`, headers: { cookie } };
    const rssIdle = rssMb(api.proc.pid);
    const cpu0 = cpuMs(api.proc.pid);
    const pgCpu0 = clusterCpuMs(dataDir);
    const sampler = rssSampler(api.proc.pid);
    const created = await trpcMutation(opts, "exports.create", { kinds: ["calls"], format });
    if (created.status !== 200) throw new Error(`exports.create answered ${created.status}: ${created.text.slice(0, 300)}`);
    const id = created.json.result.data.id;
    let item;
    for (const end = Date.now() + 15 * 60_000; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
      const list = await trpcQuery(opts, "exports.list");
      if (list.status !== 200) continue;
      item = list.json.result.data.items.find((e) => e.id === id);
      if (item.status === "ready" || item.status === "failed") break;
    }
    const rssPeak = sampler.stop();
    const cpu = cpuMs(api.proc.pid) - cpu0;
    const pgCpu = clusterCpuMs(dataDir) - pgCpu0;
    if (item?.status !== "ready") throw new Error(`export ended ${item?.status}: ${item?.error}`);
    const [timing] = await owner`select started_at, finished_at from exports where id = ${id}`;
    const jobSeconds = (timing.finished_at - timing.started_at) / 1000;
    const endToEndSeconds = (new Date(item.finishedAt) - new Date(item.createdAt)) / 1000;
    const link = await trpcMutation(opts, "exports.download", { id });
    const got = await download(api.port, `${tenant.slug}.localhost:${api.port}`, link.json.result.data.url);
    const result = {
      format,
      calls: rows,
      rowsExported: item.rows,
      bytes: item.bytes,
      seedSeconds,
      jobSeconds,
      endToEndSeconds,
      rowsPerSecond: Math.round(item.rows / jobSeconds),
      apiRssMb: { idle: rssIdle, peak: rssPeak },
      apiCpuSeconds: Math.round(cpu / 100) / 10,
      postgresCpuSeconds: Math.round(pgCpu / 100) / 10,
      loadAvg: loadavg().map((x) => Math.round(x * 10) / 10),
      download: { ...got, linesMatch: got.lines === item.rows, sizeMatches: got.bytes === item.bytes && got.contentLength === item.bytes },
      goal: { rowsPerSecond: 50_000, rssMb: 250 },
    };
    result.pass = result.rowsPerSecond >= 50_000 && rssPeak <= 250 && result.download.linesMatch && result.download.sizeMatches;
    console.log(
      `[bench] exports: ${item.rows} rows in ${jobSeconds.toFixed(1)} s = ${result.rowsPerSecond} rows/s (goal ≥ 50,000); API RSS ${rssIdle} → peak ${rssPeak} MB (goal ≤ 250); ` +
        `${(item.bytes / 1e6).toFixed(1)} MB gzip, downloaded in ${got.seconds.toFixed(1)} s, ${got.lines} lines`,
    );
    return result;
  } finally {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
