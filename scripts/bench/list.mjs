// 1. calls.list through the whole stack (session cookie or API key → admission → tenant transaction → RLS →
// tRPC) against the raw stack (bare Fastify + postgres.js as the owner, explicit tenant_id), same run, same
// dataset, rounds interleaved so drift hits both sides alike.
import { cpuMeter, load, median, rssMb, rssSampler } from "./lib.mjs";

export async function benchList({ api, raw, dataDir, tenants, cursors, creds, connections, seconds, rounds, warmupSeconds }) {
  const specs = [];
  for (const t of tenants) {
    for (const cursor of cursors.get(t.id) ?? []) specs.push({ t, cursor });
  }
  let i = 0;
  const next = () => specs[(i = (i + 7919) % specs.length)];
  const input = (cursor) => encodeURIComponent(JSON.stringify({ status: "completed", limit: 50, cursor }));
  const targets = {
    raw: {
      port: raw.port,
      pick: () => {
        const { t, cursor } = next();
        return { path: `/calls?tenant=${t.id}&status=completed&limit=50&cursor=${cursor}` };
      },
    },
    cookie: {
      port: api.port,
      pick: () => {
        const { t, cursor } = next();
        return { path: `/trpc/calls.list?input=${input(cursor)}`, headers: { "x-tenant": t.slug, cookie: creds.session.get(t.id) } };
      },
    },
    apiKey: {
      port: api.port,
      pick: () => {
        const { t, cursor } = next();
        return { path: `/trpc/calls.list?input=${input(cursor)}`, headers: { authorization: creds.viewerKey.get(t.id) } };
      },
    },
  };
  const rssIdle = { api: rssMb(api.proc.pid), raw: rssMb(raw.proc.pid) };
  const peaks = { api: 0, raw: 0 };
  for (const [name, target] of Object.entries(targets)) {
    await load({ ...target, connections, seconds: warmupSeconds });
    void name;
  }
  const runs = { raw: [], cookie: [], apiKey: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [name, target] of Object.entries(targets)) {
      const proc = name === "raw" ? raw.proc : api.proc;
      const sampler = rssSampler(proc.pid);
      const meter = cpuMeter({ serverPid: proc.pid, dataDir });
      meter.start();
      const result = await load({ ...target, connections, seconds });
      result.cpuMsPerRequest = meter.stop(result.requests);
      const peak = sampler.stop();
      const key = name === "raw" ? "raw" : "api";
      peaks[key] = Math.max(peaks[key], peak);
      runs[name].push(result);
      console.log(`[bench] calls.list ${name.padEnd(6)} round ${r + 1}: ${result.reqPerSec} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`);
    }
  }
  const agg = (xs) => ({
    reqPerSec: median(xs.map((x) => x.reqPerSec)),
    p50: median(xs.map((x) => x.p50)),
    p99: median(xs.map((x) => x.p99)),
    non2xx: xs.reduce((n, x) => n + x.non2xx, 0),
    errors: xs.reduce((n, x) => n + x.errors, 0),
    rounds: xs.map((x) => x.reqPerSec),
    cpuMsPerRequest: Object.fromEntries(["server", "postgres", "load"].map((k) => [k, median(xs.map((x) => x.cpuMsPerRequest[k]))])),
  });
  const out = { raw: agg(runs.raw), cookie: agg(runs.cookie), apiKey: agg(runs.apiKey) };
  out.ratioCookie = Math.round((out.cookie.reqPerSec / out.raw.reqPerSec) * 100) / 100;
  out.ratioApiKey = Math.round((out.apiKey.reqPerSec / out.raw.reqPerSec) * 100) / 100;
  out.rss = { idle: rssIdle, peak: peaks };
  out.settings = { connections, seconds, rounds, warmupSeconds, tenants: tenants.length, distinctRequests: specs.length };
  return out;
}
