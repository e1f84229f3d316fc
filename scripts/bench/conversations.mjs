// 6. Conversations (issue #13), on the dataset's threads:
//   search   engagements.list { q } through the API (a viewer's session, the app role under RLS), one request at a
//            time, over common, medium, rare and absent terms in many tenants: latency percentiles, and every answer
//            compared with the owner's query with an explicit tenant_id (same ids, same order);
//   thread   messages.list of a 50-message thread against calls.list (50 rows, a keyset cursor) in the same run,
//            rounds interleaved (autocannon);
//   live     messages.send on replica A → the `message` event on SSE streams of replica B, 1,000 subscribers.
import postgres from "postgres";
import { request } from "../lib/http.mjs";
import { load, median, sleep, summarize } from "./lib.mjs";
import { mintApiKey, mintSession } from "./dataset.mjs";
import { deliveryReport, measureDeliveries, openStreams } from "./events.mjs";

/** Words the generator's scripts use in many threads, in some, and never. */
const commonTerms = ["order", "refund", "password", "thanks"];
const mediumTerms = ["damaged", "canada", "invoice", "two-factor"];
const absentTerms = ["zeppelin"];

/** engagements.list { q }'s meaning (contract: full text over subject and messages), as the owner with tenant_id. */
const ownerSearch = `
  select e.id from engagements e
   where e.tenant_id = $1 and e.id in (
     select m.engagement_id from messages m where m.tenant_id = $1 and m.search @@ websearch_to_tsquery('simple', $2)
     union
     select s.id from engagements s where s.tenant_id = $1 and to_tsvector('simple', s.subject) @@ websearch_to_tsquery('simple', $2))
   order by e.created_at desc, e.id desc limit $3`;
/** The same under RLS only (as the app role, scope set as withScope sets it): for the plans. */
const rlsSearch = `
  select e.id from engagements e
   where e.id in (
     select m.engagement_id from messages m where m.search @@ websearch_to_tsquery('simple', $1)
     union
     select s.id from engagements s where to_tsvector('simple', s.subject) @@ websearch_to_tsquery('simple', $1))
   order by e.created_at desc, e.id desc limit $2`;

const trpcList = (procedure, input) => `/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify(input))}`;

export async function benchSearch({ api, owner, appUrl, tenants, sample, limit = 50 }) {
  const step = Math.max(1, Math.floor(tenants.length / sample));
  const picked = tenants.filter((_, i) => i % step === 0).slice(0, sample);
  const cases = [];
  for (const t of picked) {
    const cookie = await mintSession(owner, t.users.viewer);
    // A rare term: a tracking number that occurs in one thread of this tenant; a name: a customer's first name (the
    // team greets them by it).
    const [rare] = await owner`select substring(body from '1Z[A-Z0-9]{10}') as code from messages
      where tenant_id = ${t.id} and body like '%1Z%' order by created_at desc limit 1`;
    const [person] = await owner`select split_part(name, ' ', 1) as name from contacts where tenant_id = ${t.id} and name is not null order by created_at limit 1`;
    const terms = [
      ...commonTerms.map((q) => ["common", q]),
      ...mediumTerms.map((q) => ["medium", q]),
      ...(person ? [["name", person.name]] : []),
      ...(rare?.code ? [["rare", rare.code]] : []),
      ...absentTerms.map((q) => ["absent", q]),
    ];
    for (const [kind, q] of terms) cases.push({ t, cookie, kind, q });
  }
  const ask = (c) =>
    request({ port: api.port, path: trpcList("engagements.list", { q: c.q, limit }), headers: { cookie: c.cookie, "x-tenant": c.t.slug } });
  // Warm-up: one pass over a tenth of the cases (connections, prepared statements, the hot part of the indexes).
  for (const c of cases.filter((_, i) => i % 10 === 0)) await ask(c);

  const samples = { all: [] };
  let mismatches = 0;
  let failures = 0;
  const found = {};
  const firstMismatch = [];
  for (const c of cases) {
    const t0 = performance.now();
    const res = await ask(c);
    const ms = performance.now() - t0;
    const items = res.json?.result?.data?.items;
    if (res.status !== 200 || !Array.isArray(items)) {
      failures++;
      if (firstMismatch.length < 3) firstMismatch.push({ q: c.q, status: res.status, body: res.text.slice(0, 300) });
      continue;
    }
    samples.all.push(ms);
    (samples[c.kind] ??= []).push(ms);
    (found[c.kind] ??= []).push(items.length);
    const expected = (await owner.unsafe(ownerSearch, [c.t.id, c.q, limit])).map((r) => r.id);
    const got = items.map((i) => i.id);
    if (expected.length !== got.length || expected.some((id, i) => id !== got[i])) {
      mismatches++;
      if (firstMismatch.length < 3) firstMismatch.push({ q: c.q, tenant: c.t.slug, expected: expected.length, got: got.length });
    }
  }

  // Plans of the RLS-only statement as the app role (what the API's statement reduces to): a common and a rare term.
  const app = postgres(appUrl, { max: 1, onnotice: () => {} });
  const plans = {};
  try {
    for (const kind of ["common", "rare"]) {
      const c = cases.find((x) => x.kind === kind);
      if (!c) continue;
      plans[`${kind} (${c.q})`] = await app.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${c.t.id}, true), set_config('app.user_id', ${c.t.users.viewer}, true)`;
        const rows = await tx.unsafe(`explain (analyze, buffers, costs off, timing off, summary on) ${rlsSearch}`, [c.q, limit]);
        return rows.map((r) => r["QUERY PLAN"]).join("\n");
      });
    }
  } finally {
    await app.end();
  }
  const latencyMs = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
  const results = Object.fromEntries(Object.entries(found).map(([k, v]) => [k, { median: median(v), max: Math.max(...v) }]));
  console.log(`[bench] search: ${cases.length} requests, p50 ${latencyMs.all.p50} ms, p95 ${latencyMs.all.p95} ms; mismatches ${mismatches}, failures ${failures}`);
  return { tenants: picked.length, requests: cases.length, limit, terms: { common: commonTerms, medium: mediumTerms, absent: absentTerms, name: "a customer's first name", rare: "a tracking number of the tenant" }, latencyMs, resultsPerRequest: results, mismatches, failures, examples: firstMismatch, plans };
}

/** messages.list of 50-message threads vs calls.list (50 completed calls after a cursor), interleaved rounds. */
export async function benchThread({ api, owner, tenants, cursors, connections, seconds, rounds, warmupSeconds }) {
  const byId = new Map(tenants.map((t) => [t.id, t]));
  const threads = (
    await owner`select tenant_id, engagement_id from messages group by tenant_id, engagement_id having count(*) = 50`
  ).filter((r) => byId.has(r.tenant_id));
  if (threads.length === 0) throw new Error("no 50-message thread in the dataset");
  const cookies = new Map();
  for (const t of tenants) cookies.set(t.id, await mintSession(owner, t.users.viewer));
  const callSpecs = [];
  for (const t of tenants) for (const cursor of cursors.get(t.id) ?? []) callSpecs.push({ t, cursor });
  let i = 0;
  let j = 0;
  const headers = (t) => ({ cookie: cookies.get(t.id), "x-tenant": t.slug });
  const targets = {
    calls: () => {
      const { t, cursor } = callSpecs[(i = (i + 7919) % callSpecs.length)];
      return { path: trpcList("calls.list", { status: "completed", limit: 50, cursor }), headers: headers(t) };
    },
    messages: () => {
      const r = threads[(j = (j + 7919) % threads.length)];
      return { path: trpcList("messages.list", { engagementId: r.engagement_id, limit: 50 }), headers: headers(byId.get(r.tenant_id)) };
    },
  };
  // Each answer really is 50 rows.
  const probe = async (pick) => (await request({ port: api.port, ...pick() })).json?.result?.data?.items?.length;
  const sizes = { calls: await probe(targets.calls), messages: await probe(targets.messages) };
  for (const pick of Object.values(targets)) await load({ port: api.port, pick, connections, seconds: warmupSeconds });
  const runs = { calls: [], messages: [] };
  for (let r = 0; r < rounds; r++) {
    for (const [name, pick] of Object.entries(targets)) {
      const result = await load({ port: api.port, pick, connections, seconds });
      runs[name].push(result);
      console.log(`[bench] ${name}.list round ${r + 1}: ${result.reqPerSec} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, non-2xx ${result.non2xx}`);
    }
  }
  const agg = (xs) => ({
    reqPerSec: median(xs.map((x) => x.reqPerSec)),
    p50: median(xs.map((x) => x.p50)),
    p99: median(xs.map((x) => x.p99)),
    rounds: xs.map((x) => x.reqPerSec),
    non2xx: xs.reduce((n, x) => n + x.non2xx, 0),
    errors: xs.reduce((n, x) => n + x.errors, 0),
  });
  const calls = agg(runs.calls);
  const messages = agg(runs.messages);
  const round2 = (x) => Math.round(x * 100) / 100;
  return {
    threads: threads.length,
    rowsPerAnswer: sizes,
    calls,
    messages,
    // "within 1.2× of calls.list": calls' throughput over messages', messages' p50 over calls'.
    throughputRatio: round2(calls.reqPerSec / messages.reqPerSec),
    p50Ratio: round2(messages.p50 / calls.p50),
    settings: { connections, seconds, rounds, warmupSeconds },
  };
}

/** messages.send on A → `message` event on B's streams. */
export async function benchMessageEvents({ a, b, owner, tenants, subscribers, events }) {
  const streams = await openStreams({ b, owner, tenants, subscribers, match: (data) => (data?.type === "message" ? data.message?.id : undefined) });
  console.log(`[bench] ${streams.open.length} SSE streams open on replica B in ${streams.openMs} ms`);
  await sleep(500);
  const writers = new Map();
  for (const t of [...streams.hot, ...streams.cold]) {
    const [e] = await owner`select id from engagements where tenant_id = ${t.id} and status <> 'resolved' order by created_at desc limit 1`;
    writers.set(t.id, { authorization: await mintApiKey(owner, t.id, "agent", "bench-replies"), engagementId: e.id });
  }
  // The breakdown: when each event's NOTIFY reaches a listener of this process (a LISTEN of its own, like replica
  // B's): send → commit + NOTIFY on A's side, NOTIFY → each stream's arrival on B's side (its shared read, the frames,
  // this process reading 1,000 sockets).
  const notified = new Map(); // event id → arrival
  const listening = await owner.listen("engagement_events", (payload) => notified.set(Number(payload.split(":")[1]), performance.now()));
  const started = new Map(); // message id → send time
  const measured = await measureDeliveries({
    streams,
    count: events,
    async write(t, i) {
      const w = writers.get(t.id);
      const t0 = performance.now();
      const res = await request({
        port: a.port,
        method: "POST",
        path: "/trpc/messages.send",
        headers: { authorization: w.authorization },
        body: { engagementId: w.engagementId, body: `Thanks for waiting, here is an update (${i}).` },
      });
      const id = res.json?.result?.data?.id;
      if (!id) throw new Error(`messages.send failed: ${res.status} ${res.text.slice(0, 200)}`);
      started.set(id, t0);
      return id;
    },
  });
  streams.close();
  await listening.unlisten();
  const eventOf = new Map(
    (await owner`select message_id, id from engagement_events where type = 'message' and message_id = any(${[...started.keys()]}::uuid[])`).map((r) => [r.message_id, Number(r.id)]),
  );
  const toNotify = [];
  const afterNotify = [];
  for (const [messageId, t0] of started) {
    const at = notified.get(eventOf.get(messageId));
    if (at !== undefined) toNotify.push(at - t0);
  }
  for (const [messageId, arrived] of streams.arrivals) {
    const at = notified.get(eventOf.get(messageId));
    if (at !== undefined) afterNotify.push(arrived - at);
  }
  console.log(`[bench] message delivery ${measured.latency.n}/${measured.expected}: p50 ${measured.latency.p50} ms, p99 ${measured.latency.p99} ms`);
  return {
    ...deliveryReport(streams, measured, events),
    sendLatencyMs: measured.writeMs,
    breakdownMs: { sendToNotify: summarize(toNotify), notifyToDelivery: summarize(afterNotify) },
  };
}
