// 3. Live events: engagements.create on replica A, delivered over SSE by replica B (LISTEN/NOTIFY between them)
// to `subscribers` open streams spread over tenants (a few hot tenants with 100 streams each, the rest with 2).
// The per-user cap is 5 streams per process, so streams use many users and API keys. Also the write throughput
// of engagements.create with no subscribers vs with them open.
import http from "node:http";
import { request } from "../lib/http.mjs";
import { load, rssMb, sleep, sseSubscribe, summarize } from "./lib.mjs";
import { mintApiKey, mintSession } from "./dataset.mjs";

export async function benchEvents({ a, b, owner, tenants, subscribers, events, connections, seconds }) {
  const hotCount = Math.min(5, Math.floor(subscribers / 200));
  const hot = tenants.slice(0, hotCount);
  const coldStreams = subscribers - hotCount * 100;
  const cold = tenants.slice(hotCount, hotCount + Math.ceil(coldStreams / 2));
  // Who subscribes: hot tenants 4 members × 5 streams + 16 API keys × 5; cold tenants their owner × 2.
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
  const writers = new Map();
  for (const t of [...hot, ...cold]) writers.set(t.id, await mintApiKey(owner, t.id, "agent", "bench-writer"));
  const all = [...hot, ...cold];
  let w = 0;
  const body = JSON.stringify({ channel: "chat", customer: "bench@example.com", message: "Hello from the benchmark" });
  const pickCreate = () => {
    const t = all[(w = (w + 13) % all.length)];
    return { method: "POST", path: "/trpc/engagements.create", headers: { authorization: writers.get(t.id), "content-type": "application/json" }, body };
  };

  // Write throughput before any stream is open.
  await load({ port: a.port, pick: pickCreate, connections, seconds: 2 });
  const without = await load({ port: a.port, pick: pickCreate, connections, seconds });
  console.log(`[bench] engagements.create without subscribers: ${without.reqPerSec} req/s, p99 ${without.p99} ms`);

  // Open the streams on B.
  const rssBIdle = rssMb(b.proc.pid);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const sent = new Map(); // engagement id → send time
  const arrivals = []; // [engagement id, receive time]: matched after the run (an event can beat its response)
  const t0 = Date.now();
  const open = [];
  const onData = (data, at) => {
    if (data?.type === "created" && data.engagement?.id) arrivals.push([data.engagement.id, at]);
  };
  for (let i = 0; i < streams.length; i += 50) {
    const batch = streams.slice(i, i + 50);
    open.push(...(await Promise.all(batch.map((s) => sseSubscribe({ port: b.port, path: "/trpc/engagements.onEvent", headers: s.headers, agent, onData })))));
  }
  const openMs = Date.now() - t0;
  await sleep(500);
  const rssBOpen = rssMb(b.proc.pid);
  console.log(`[bench] ${open.length} SSE streams open on replica B in ${openMs} ms`);

  // Latency: `events` creates on A, alternating hot and cold tenants, ~20/s; expected deliveries counted.
  let expected = 0;
  const subsOf = new Map();
  for (const s of streams) subsOf.set(s.t.id, (subsOf.get(s.t.id) ?? 0) + 1);
  const createMs = [];
  for (let i = 0; i < events; i++) {
    const t = i % 2 === 0 ? hot[(i / 2) % hot.length] : cold[Math.floor(i / 2) % cold.length];
    const started = performance.now();
    const res = await request({
      port: a.port,
      method: "POST",
      path: "/trpc/engagements.create",
      headers: { authorization: writers.get(t.id) },
      body: { channel: "chat", customer: "latency@example.com", message: `event ${i}` },
    });
    createMs.push(performance.now() - started);
    const id = res.json?.result?.data?.id;
    if (!id) throw new Error(`engagements.create failed: ${res.status} ${res.text.slice(0, 200)}`);
    // The event can arrive before the response: register the id with the time the request was sent.
    sent.set(id, started);
    expected += subsOf.get(t.id) ?? 0;
    await sleep(50);
  }
  await sleep(1000);
  const deliveries = [];
  const perEvent = new Map();
  for (const [id, at] of arrivals) {
    const start = sent.get(id);
    if (start === undefined) continue; // from the throughput run
    deliveries.push(at - start);
    perEvent.set(id, Math.max(perEvent.get(id) ?? 0, at - start));
  }
  const latency = summarize(deliveries);
  const worstPerEvent = summarize([...perEvent.values()]);
  console.log(`[bench] delivery ${latency.n}/${expected}: p50 ${latency.p50} ms, p99 ${latency.p99} ms`);

  // Write throughput with every stream open (B re-reads for each subscriber of a written tenant).
  const withSubs = await load({ port: a.port, pick: pickCreate, connections, seconds });
  console.log(`[bench] engagements.create with ${open.length} subscribers: ${withSubs.reqPerSec} req/s, p99 ${withSubs.p99} ms`);
  const rssBLoad = rssMb(b.proc.pid);
  for (const s of open) s.close();
  agent.destroy();
  return {
    subscribers: open.length,
    layout: { hotTenants: hot.length, streamsPerHotTenant: 100, coldTenants: cold.length, streamsPerColdTenant: 2 },
    openMs,
    events,
    deliveries: latency.n,
    expectedDeliveries: expected,
    latencyMs: latency,
    worstSubscriberPerEventMs: worstPerEvent,
    createLatencyMs: summarize(createMs),
    writeThroughput: { without, with: withSubs, ratio: Math.round((withSubs.reqPerSec / without.reqPerSec) * 100) / 100 },
    rssB: { beforeStreams: rssBIdle, streamsOpen: rssBOpen, afterWriteLoad: rssBLoad },
  };
}
