// 1. calls.list through the whole stack (session cookie or API key → admission → tenant transaction → RLS →
// tRPC) against two baselines: the raw stack (bare Fastify + postgres.js as the owner, explicit tenant_id) and
// the typical build (tRPC's Fastify adapter + Drizzle without prepared statements, a session or key lookup per
// request, `where tenant_id = $1` in application code; typical-server.mjs). Same run, same dataset, rounds
// interleaved so drift hits every target alike.
import { cpuMeter, load, median, rssMb, rssSampler } from "./lib.mjs";

export async function benchList({ api, raw, typical, dataDir, tenants, cursors, creds, connections, seconds, rounds, warmupSeconds }) {
  const specs = [];
  for (const t of tenants) {
    for (const cursor of cursors.get(t.id) ?? []) specs.push({ t, cursor });
  }
  let i = 0;
  const next = () => specs[(i = (i + 7919) % specs.length)];
  const input = (cursor) => encodeURIComponent(JSON.stringify({ status: "completed", limit: 50, cursor }));
  // The same requests through tRPC, signed in (session cookie + x-tenant) or with a viewer API key.
  const trpc = (server, as) => ({
    server,
    pick: () => {
      const { t, cursor } = next();
      const headers = as === "cookie" ? { "x-tenant": t.slug, cookie: creds.session.get(t.id) } : { authorization: creds.viewerKey.get(t.id) };
      return { path: `/trpc/calls.list?input=${input(cursor)}`, headers };
    },
  });
  const targets = {
    raw: {
      server: "raw",
      pick: () => {
        const { t, cursor } = next();
        return { path: `/calls?tenant=${t.id}&status=completed&limit=50&cursor=${cursor}` };
      },
    },
    typicalCookie: trpc("typical", "cookie"),
    typicalApiKey: trpc("typical", "apiKey"),
    cookie: trpc("api", "cookie"),
    apiKey: trpc("api", "apiKey"),
  };
  const servers = { raw, typical, api };
  const rssIdle = Object.fromEntries(Object.entries(servers).map(([k, s]) => [k, rssMb(s.proc.pid)]));
  const peaks = { api: 0, raw: 0, typical: 0 };
  for (const target of Object.values(targets)) await load({ port: servers[target.server].port, pick: target.pick, connections, seconds: warmupSeconds });
  const runs = Object.fromEntries(Object.keys(targets).map((name) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, target] of Object.entries(targets)) {
      const { proc, port } = servers[target.server];
      const sampler = rssSampler(proc.pid);
      const meter = cpuMeter({ serverPid: proc.pid, dataDir });
      meter.start();
      const result = await load({ port, pick: target.pick, connections, seconds });
      result.cpuMsPerRequest = meter.stop(result.requests);
      const peak = sampler.stop();
      peaks[target.server] = Math.max(peaks[target.server], peak);
      runs[name].push(result);
      console.log(`[bench] calls.list ${name.padEnd(13)} round ${r + 1}: ${result.reqPerSec} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}`);
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
  const out = Object.fromEntries(Object.entries(runs).map(([name, xs]) => [name, agg(xs)]));
  const ratio = (full, base) => Math.round((out[full].reqPerSec / out[base].reqPerSec) * 100) / 100;
  out.ratioCookie = ratio("cookie", "raw");
  out.ratioApiKey = ratio("apiKey", "raw");
  out.typicalRatioCookie = ratio("cookie", "typicalCookie");
  out.typicalRatioApiKey = ratio("apiKey", "typicalApiKey");
  out.rss = { idle: rssIdle, peak: peaks };
  out.settings = { connections, seconds, rounds, warmupSeconds, tenants: tenants.length, distinctRequests: specs.length };
  return out;
}
