// 3. Live events: engagements.create on replica A, delivered over SSE by replica B (LISTEN/NOTIFY between them)
// to `subscribers` open streams spread over tenants (a few hot tenants with 100 streams each, the rest with 2).
// The per-user cap is 5 streams per process, so streams use many users and API keys. Also the write throughput
// of engagements.create with no subscribers vs with them open. The stream layout and the delivery measurement are
// shared with the conversations section (messages.send → `message` event).
import http from "node:http";
import { request } from "../lib/http.mjs";
import { load, rssMb, sleep, sseSubscribe, summarize } from "./lib.mjs";
import { mintApiKey, mintSession } from "./dataset.mjs";

/**
 * Opens `subscribers` SSE streams (engagements.onEvent) on replica `b`: min(5, subscribers / 200) hot tenants × 100
 * streams (4 members' sessions × 5 and 16 viewer API keys × 5), the rest 2 per tenant from the owner's session.
 * `match(data)` returns an id for an event of interest; its arrivals are collected as [id, receivedAt].
 */
function layoutOf(tenants, subscribers) {
  const hotCount = Math.min(5, Math.floor(subscribers / 200));
  const coldStreams = subscribers - hotCount * 100;
  const hot = tenants.slice(0, hotCount);
  const cold = tenants.slice(hotCount, hotCount + Math.ceil(coldStreams / 2));
  return { hot, cold, coldStreams, all: [...hot, ...cold] };
}

export async function openStreams({ b, owner, tenants, subscribers, match }) {
  const { hot, cold, coldStreams } = layoutOf(tenants, subscribers);
  const streams = [];
  for (const t of hot) {
    for (const role of ["owner", "admin", "agent", "viewer"]) {
      const cookie = await mintSession(owner, t.users[role]);
      for (let k = 0; k < 5; k++) streams.push({ t, headers: { cookie, "x-tenant": t.slug } });
    }
    for (let j = 0; j < 16; j++) {
      const authorization = await mintApiKey(owner, t.id, "viewer", `bench-sse-${j}`);
      for (let k = 0; k < 5; k++) streams.push({ t, headers: { authorization } });
    }
  }
  for (const [n, t] of cold.entries()) {
    const cookie = await mintSession(owner, t.users.owner);
    for (let k = 0; k < (n < coldStreams / 2 ? 2 : 0); k++) streams.push({ t, headers: { cookie, "x-tenant": t.slug } });
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const arrivals = []; // [id, receive time]: matched after the run (an event can beat its response)
  const onData = (data, at) => {
    const id = match(data);
    if (id) arrivals.push([id, at]);
  };
  const t0 = Date.now();
  const open = [];
  for (let i = 0; i < streams.length; i += 50) {
    const batch = streams.slice(i, i + 50);
    open.push(...(await Promise.all(batch.map((s) => sseSubscribe({ port: b.port, path: "/trpc/engagements.onEvent", headers: s.headers, agent, onData })))));
  }
  const openMs = Date.now() - t0;
  const subsOf = new Map();
  for (const s of streams) subsOf.set(s.t.id, (subsOf.get(s.t.id) ?? 0) + 1);
  return {
    hot,
    cold,
    open,
    openMs,
    arrivals,
    subsOf,
    layout: { hotTenants: hot.length, streamsPerHotTenant: 100, coldTenants: cold.length, streamsPerColdTenant: 2 },
    close() {
      for (const s of open) s.close();
      agent.destroy();
    },
  };
}

/**
 * `count` writes, alternating hot and cold tenants, ~20/s: `write(tenant, i)` sends one and resolves to the id
 * its event carries. Latency = write sent → each stream's arrival; `expected` counts the streams of each tenant.
 */
export async function measureDeliveries({ streams, count, write }) {
  const sent = new Map(); // id → send time
  let expected = 0;
  const writeMs = [];
  for (let i = 0; i < count; i++) {
    const t = i % 2 === 0 ? streams.hot[(i / 2) % streams.hot.length] : streams.cold[Math.floor(i / 2) % streams.cold.length];
    const started = performance.now();
    const id = await write(t, i);
    writeMs.push(performance.now() - started);
    // The event can arrive before the response: register the id with the time the request was sent.
    sent.set(id, started);
    expected += streams.subsOf.get(t.id) ?? 0;
    await sleep(50);
  }
  // Late arrivals on a loaded machine: wait until every stream has every event, or 10 s without progress.
  for (let seen = -1, idle = 0; idle < 10_000; idle = streams.arrivals.length === seen ? idle + 250 : 0) {
    seen = streams.arrivals.length;
    if (streams.arrivals.filter(([id]) => sent.has(id)).length >= expected) break;
    await sleep(250);
  }
  const deliveries = [];
  const perEvent = new Map();
  for (const [id, at] of streams.arrivals) {
    const start = sent.get(id);
    if (start === undefined) continue; // not one of these writes
    deliveries.push(at - start);
    perEvent.set(id, Math.max(perEvent.get(id) ?? 0, at - start));
  }
  return { latency: summarize(deliveries), worstPerEvent: summarize([...perEvent.values()]), expected, writeMs: summarize(writeMs) };
}

/** The common part of both live sections' results. */
export function deliveryReport(streams, measured, events) {
  return {
    subscribers: streams.open.length,
    layout: streams.layout,
    openMs: streams.openMs,
    events,
    deliveries: measured.latency.n,
    expectedDeliveries: measured.expected,
    latencyMs: measured.latency,
    worstSubscriberPerEventMs: measured.worstPerEvent,
  };
}

export async function benchEvents({ a, b, owner, tenants, subscribers, events, connections, seconds }) {
  const writers = new Map();
  const layoutTenants = layoutOf(tenants, subscribers).all;
  for (const t of layoutTenants) writers.set(t.id, await mintApiKey(owner, t.id, "agent", "bench-writer"));
  let w = 0;
  const body = JSON.stringify({ channel: "chat", customer: "bench@example.com", message: "Hello from the benchmark" });
  const pickCreate = () => {
    const t = layoutTenants[(w = (w + 13) % layoutTenants.length)];
    return { method: "POST", path: "/trpc/engagements.create", headers: { authorization: writers.get(t.id), "content-type": "application/json" }, body };
  };

  // Write throughput before any stream is open.
  await load({ port: a.port, pick: pickCreate, connections, seconds: 2 });
  const without = await load({ port: a.port, pick: pickCreate, connections, seconds });
  console.log(`[bench] engagements.create without subscribers: ${without.reqPerSec} req/s, p99 ${without.p99} ms`);

  // Open the streams on B.
  const rssBIdle = rssMb(b.proc.pid);
  const streams = await openStreams({ b, owner, tenants, subscribers, match: (data) => (data?.type === "created" ? data.engagement?.id : undefined) });
  await sleep(500);
  const rssBOpen = rssMb(b.proc.pid);
  console.log(`[bench] ${streams.open.length} SSE streams open on replica B in ${streams.openMs} ms`);

  // Latency: `events` creates on A, alternating hot and cold tenants, ~20/s; expected deliveries counted.
  const measured = await measureDeliveries({
    streams,
    count: events,
    async write(t, i) {
      const res = await request({
        port: a.port,
        method: "POST",
        path: "/trpc/engagements.create",
        headers: { authorization: writers.get(t.id) },
        body: { channel: "chat", customer: "latency@example.com", message: `event ${i}` },
      });
      const id = res.json?.result?.data?.id;
      if (!id) throw new Error(`engagements.create failed: ${res.status} ${res.text.slice(0, 200)}`);
      return id;
    },
  });
  console.log(`[bench] delivery ${measured.latency.n}/${measured.expected}: p50 ${measured.latency.p50} ms, p99 ${measured.latency.p99} ms`);

  // Write throughput with every stream open (B re-reads for each subscriber of a written tenant).
  const withSubs = await load({ port: a.port, pick: pickCreate, connections, seconds });
  console.log(`[bench] engagements.create with ${streams.open.length} subscribers: ${withSubs.reqPerSec} req/s, p99 ${withSubs.p99} ms`);
  const rssBLoad = rssMb(b.proc.pid);
  streams.close();
  return {
    ...deliveryReport(streams, measured, events),
    createLatencyMs: measured.writeMs,
    writeThroughput: { without, with: withSubs, ratio: Math.round((withSubs.reqPerSec / without.reqPerSec) * 100) / 100 },
    rssB: { beforeStreams: rssBIdle, streamsOpen: rssBOpen, afterWriteLoad: rssBLoad },
  };
}
