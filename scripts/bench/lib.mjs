// Shared helpers for `pnpm bench`: load generation (autocannon), percentiles, RSS sampling, a minimal SSE client.
import { createRequire } from "node:module";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { join } from "node:path";
import { root } from "../lib/stack.mjs";

const require = createRequire(join(root, "package.json"));
const autocannon = require("autocannon");

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function percentile(sorted, p) {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const round = (v) => (v === null ? null : Math.round(v * 100) / 100);
  return { n: s.length, p50: round(percentile(s, 50)), p90: round(percentile(s, 90)), p95: round(percentile(s, 95)), p99: round(percentile(s, 99)), max: round(s[s.length - 1] ?? null) };
}

export const median = (xs) => percentile([...xs].sort((a, b) => a - b), 50);

/** RSS of a process in MB, from /proc (Linux). */
export function rssMb(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Math.round(Number(m[1]) / 1024) : null;
}

/** Samples the peak RSS of `pid` every 200 ms until stopped. */
export function rssSampler(pid) {
  let peak = rssMb(pid) ?? 0;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssMb(pid) ?? 0);
    } catch {
      // exited
    }
  }, 200);
  return { stop: () => (clearInterval(timer), peak) };
}

const clockTicks = 100; // USER_HZ on Linux

/** CPU time (user + system, ms) of a process, from /proc (Linux); 0 once it has exited. */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return 0;
  }
}

/** CPU time (ms) of a PostgreSQL cluster: the postmaster's children (backends and background workers). */
export function clusterCpuMs(dataDir) {
  const postmaster = Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  let total = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === postmaster || Number(pid) === postmaster) total += cpuMs(pid);
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

/**
 * CPU time per request of one load run, split by who spent it: `server` (the process under test), `postgres`
 * (the cluster's processes; backends that exist before and after the run, i.e. the server's pool) and `load`
 * (this process: autocannon). Call `start()` before and `stop(requests)` after the run.
 */
export function cpuMeter({ serverPid, dataDir }) {
  const read = () => ({ server: cpuMs(serverPid), postgres: clusterCpuMs(dataDir), load: process.cpuUsage() });
  let before;
  return {
    start: () => void (before = read()),
    stop(requests) {
      const after = read();
      const per = (ms) => Math.round((ms / Math.max(1, requests)) * 1000) / 1000;
      const load = (after.load.user + after.load.system - before.load.user - before.load.system) / 1000;
      return { server: per(after.server - before.server), postgres: per(after.postgres - before.postgres), load: per(load) };
    },
  };
}

/**
 * One autocannon run. `pick()` returns { method, path, headers, body } per request (spread over tenants).
 * Returns req/s (mean), latency p50/p99 (ms), and the count of non-2xx responses and errors.
 */
export async function load({ port, pick, connections, seconds }) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest(req) {
          const r = pick();
          return { ...req, method: r.method ?? "GET", path: r.path, headers: { ...r.headers }, body: r.body };
        },
      },
    ],
  });
  return {
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * A Server-Sent Events subscriber over node:http (Node 20 has no EventSource). Calls `onData(json, receivedAt)`
 * for each `data:` line; resolves once the response headers arrive and the first bytes are read.
 */
export function sseSubscribe({ port, path, headers, agent, onData }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, agent, headers: { accept: "text/event-stream", ...headers } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`SSE ${res.statusCode}`));
        return;
      }
      let buf = "";
      let opened = false;
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        const at = performance.now();
        buf += chunk;
        let nl;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.startsWith("data: ")) {
            try {
              onData(JSON.parse(line.slice(6)), at);
            } catch {
              // not JSON (pings)
            }
          }
        }
        if (!opened) {
          opened = true;
          resolve({ close: () => req.destroy() });
        }
      });
      res.on("error", () => {});
    });
    req.on("error", (err) => reject(err));
    req.end();
  });
}

/**
 * A TCP proxy in front of PostgreSQL that delays every chunk by `delayMs` in each direction (order kept), to see
 * what round trips cost when the database is across a network rather than on loopback. Returns its port.
 */
export async function delayProxy({ targetPort, delayMs }) {
  const pipe = (from, to) => {
    let last = 0;
    from.on("data", (chunk) => {
      const at = Math.max(performance.now() + delayMs, last);
      last = at;
      setTimeout(() => to.writable && to.write(chunk), at - performance.now());
    });
    from.on("close", () => setTimeout(() => to.destroy(), delayMs));
    from.on("error", () => {});
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, "127.0.0.1");
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    pipe(client, upstream);
    pipe(upstream, client);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  return { port: server.address().port, close: () => server.close() };
}
