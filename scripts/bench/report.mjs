// Renders a bench result (the JSON written by scripts/bench.mjs) as Markdown: the summary table first, then the
// details of each section.
const fmt = (v, unit = "") => (v === null || v === undefined ? "–" : `${typeof v === "number" ? Number(v.toFixed(2)) : v}${unit}`);
const pass = (ok) => (ok === null ? "" : ok ? "✅" : "❌");

export function summaryRows(r) {
  const rows = [];
  const L = r.list;
  if (L) {
    const line = (x) => `${x.reqPerSec} req/s · p50 ${fmt(x.p50)} ms · p99 ${fmt(x.p99)} ms`;
    rows.push(["calls.list raw stack (Fastify + postgres.js, owner, no RLS): the ceiling", line(L.raw), "", ""]);
    if (L.typicalCookie) {
      rows.push(["calls.list typical build (tRPC adapter + Drizzle, session lookup, app-level tenant_id), cookie", line(L.typicalCookie), "", ""]);
      rows.push(["calls.list typical build, API key", line(L.typicalApiKey), "", ""]);
    }
    rows.push(["calls.list full stack, session cookie", line(L.cookie), "", ""]);
    rows.push(["calls.list full stack, API key", line(L.apiKey), "", ""]);
    if (L.typicalCookie) {
      rows.push(["throughput ratio full/typical (cookie · API key)", `${fmt(L.typicalRatioCookie)} · ${fmt(L.typicalRatioApiKey)}`, "≥ 0.9", pass(Math.min(L.typicalRatioCookie, L.typicalRatioApiKey) >= 0.9)]);
    }
    rows.push(["throughput ratio full/raw (cookie · API key)", `${fmt(L.ratioCookie)} · ${fmt(L.ratioApiKey)}`, "≥ 0.7", pass(L.ratioCookie >= 0.7)]);
  }
  const R = r.rls;
  if (R) {
    rows.push(["RLS: list statement p50, owner / app role RLS only / RLS + tenant_id", `${fmt(R.latencyMs.owner.p50)} / ${fmt(R.latencyMs.rlsOnly.p50)} / ${fmt(R.latencyMs.rlsPlusTenant.p50)} ms`, "", ""]);
    rows.push(["RLS p50 ratio (RLS only · RLS + tenant_id)", `${fmt(R.p50Ratio.rlsOnly)} · ${fmt(R.p50Ratio.rlsPlusTenant)}`, "≤ 1.1", pass(Math.min(R.p50Ratio.rlsOnly, R.p50Ratio.rlsPlusTenant) <= 1.1)]);
    if (R.p50Ratio.rlsOnlyPrepared !== undefined) rows.push(["RLS p50 ratio, prepared statements (as the API runs them)", fmt(R.p50Ratio.rlsOnlyPrepared), "≤ 1.1", pass(R.p50Ratio.rlsOnlyPrepared <= 1.1)]);
  }
  const E = r.events;
  if (E) {
    rows.push([`live event delivery A→B, ${E.subscribers} subscribers (p50 · p99)`, `${fmt(E.latencyMs.p50)} · ${fmt(E.latencyMs.p99)} ms (${E.deliveries}/${E.expectedDeliveries} delivered)`, "p99 ≤ 50 ms", pass(E.latencyMs.p99 <= 50 && E.deliveries === E.expectedDeliveries)]);
    rows.push(["engagements.create req/s without · with subscribers", `${E.writeThroughput.without.reqPerSec} · ${E.writeThroughput.with.reqPerSec} (×${fmt(E.writeThroughput.ratio)})`, "", ""]);
  }
  const Q = r.search;
  if (Q) {
    rows.push([`search: engagements.list { q } as the app role, ${Q.requests} requests in ${Q.tenants} tenants (p50 · p95 · p99)`, `${fmt(Q.latencyMs.all.p50)} · ${fmt(Q.latencyMs.all.p95)} · ${fmt(Q.latencyMs.all.p99)} ms`, "p95 ≤ 50 ms", pass(Q.latencyMs.all.p95 <= 50 && Q.failures === 0)]);
    rows.push(["search: same ids as the owner's query with tenant_id", `${Q.requests - Q.mismatches - Q.failures}/${Q.requests}`, "all", pass(Q.mismatches === 0 && Q.failures === 0)]);
  }
  const T = r.thread;
  if (T) {
    rows.push(["messages.list, 50-message thread (cookie)", `${T.messages.reqPerSec} req/s · p50 ${fmt(T.messages.p50)} ms · p99 ${fmt(T.messages.p99)} ms`, "", ""]);
    rows.push(["calls.list, 50 rows, same run (cookie)", `${T.calls.reqPerSec} req/s · p50 ${fmt(T.calls.p50)} ms · p99 ${fmt(T.calls.p99)} ms`, "", ""]);
    rows.push(["calls.list ÷ messages.list throughput · messages ÷ calls p50", `${fmt(T.throughputRatio)} · ${fmt(T.p50Ratio)}`, "≤ 1.2", pass(Math.max(T.throughputRatio, T.p50Ratio) <= 1.2)]);
  }
  const M = r.messageEvents;
  if (M) {
    rows.push([`messages.send on A → \`message\` event on B, ${M.subscribers} subscribers (p50 · p99)`, `${fmt(M.latencyMs.p50)} · ${fmt(M.latencyMs.p99)} ms (${M.deliveries}/${M.expectedDeliveries} delivered)`, "p99 ≤ 50 ms", pass(M.latencyMs.p99 <= 50 && M.deliveries === M.expectedDeliveries)]);
  }
  const W = r.webhooks;
  if (W) {
    const F = W.fanOut;
    const O = W.outbox;
    if (O) {
      rows.push([`webhooks: ${O.committedPerSecond} events/s committed through the outbox (target ${O.targetPerSecond}) for ${O.seconds} s into ${O.endpoints} endpoints: lost · duplicates (retried deliveries)`, `${O.lost} · ${O.duplicates} (${O.retriedDeliveries}); ${O.delivered}/${O.committed} delivered`, "0 lost; duplicates only from retries", pass(O.lost === 0 && O.duplicates <= O.retriedDeliveries && O.badSignatures === 0)]);
      rows.push(["webhooks (outbox): commit → delivery (p50 · p99)", `${fmt(O.latencyMs.p50)} · ${fmt(O.latencyMs.p99)} ms`, "p99 ≤ 1 s", pass(O.latencyMs.p99 <= 1000 && O.committedPerSecond >= O.targetPerSecond * 0.95)]);
    }
    rows.push([`webhooks: ${F.achievedPerSecond} events/s (target ${F.targetPerSecond}) for ${F.seconds} s into ${F.endpoints} endpoints: lost · duplicates (retried deliveries)`, `${F.lost} · ${F.duplicates} (${F.retriedDeliveries}); ${F.delivered}/${F.sent} delivered`, "0 lost; duplicates only from retries", pass(F.lost === 0 && F.duplicates <= F.retriedDeliveries && F.badSignatures === 0)]);
    rows.push(["webhooks: commit → delivery (p50 · p99)", `${fmt(F.latencyMs.p50)} · ${fmt(F.latencyMs.p99)} ms`, "p99 ≤ 1 s", pass(F.latencyMs.p99 <= 1000 && F.achievedPerSecond >= F.targetPerSecond * 0.95)]);
    const costOf = (c) => `${c.withoutEndpoints.reqPerSec} · ${c.withTenEndpoints.reqPerSec} (${c.costPercent === null ? `void: ${c.refused} non-2xx` : `${fmt(c.costPercent)}%`})`;
    const costPass = (c) => pass(c.costPercent !== null && c.costPercent <= 10);
    rows.push(["messages.send req/s: 0 · 10 subscribed endpoints (cost of the send path; worker stopped)", costOf(W.cost), "≤ 10%", costPass(W.cost)]);
    if (W.cost.deliveriesRunning) {
      rows.push(["messages.send req/s: 0 · 10 subscribed endpoints (cost with the 10 deliveries per send on the same 2 cores)", costOf(W.cost.deliveriesRunning), "≤ 10%", costPass(W.cost.deliveriesRunning)]);
    }
  }
  const X = r.exports;
  if (X) {
    rows.push([`export of ${X.rowsExported.toLocaleString("en")} calls (${X.format}, gzip) by the worker in an API process`, `${X.rowsPerSecond.toLocaleString("en")} rows/s (${fmt(X.jobSeconds)} s)`, "≥ 50,000 rows/s", pass(X.rowsPerSecond >= 50_000)]);
    rows.push(["API RSS during the export (idle → peak, every 200 ms)", `${X.apiRssMb.idle} → ${X.apiRssMb.peak} MB`, "≤ 250 MB", pass(X.apiRssMb.peak <= 250)]);
    rows.push(["the downloaded file: lines · Content-Length", `${X.download.lines.toLocaleString("en")} · ${X.download.contentLength.toLocaleString("en")} B`, "= rows · = bytes", pass(X.download.linesMatch && X.download.sizeMatches)]);
  }
  const G = r.migration;
  if (G) {
    rows.push([`online migration 0014 on the rewound dataset (${G.legacyMessages.toLocaleString("en")} legacy messages, ${G.rewound.calls.toLocaleString("en")} calls)`, `${fmt(G.stepMs / 1000)} s; checks ${G.checksPassed ? "passed" : `failed: ${G.failedChecks.join(", ")}`}`, "", pass(G.checksPassed)]);
    rows.push(["API during the step: engagements.create/list one at a time (p50 · p99 · max)", `${fmt(G.servingMeanwhile.latencyMs.p50)} · ${fmt(G.servingMeanwhile.latencyMs.p99)} · ${fmt(G.servingMeanwhile.latencyMs.max)} ms, ${G.servingMeanwhile.failures}/${G.servingMeanwhile.requests} failed`, "", ""]);
  }
  const P = r.purge;
  if (P) {
    rows.push([`purge of an archived tenant of ${P.rows.toLocaleString("en")} rows by the worker (purge.tenant), under calls.list load elsewhere`, `${fmt(P.purgeSeconds)} s (${P.job?.batches} batches; ${P.rowsLeft} rows left)`, "≤ 60 s", pass(P.purgeSeconds <= 60 && P.rowsLeft === 0)]);
    const base = P.latency.baseline ?? P.latency.before;
    rows.push(["the other tenant's calls.list p99: baseline (before and after the purge) · during it", `${fmt(base.p99)} · ${fmt(P.latency.during.p99)} ms (×${fmt(P.p99Ratio)})`, "during ≤ 2× baseline", pass(P.p99Ratio <= 2)]);
  }
  if (L) {
    const rss = (k) => `${fmt(L.rss.idle[k])} · ${fmt(L.rss.peak[k])} MB`;
    const typical = L.rss.idle.typical === undefined ? "" : `; typical: ${rss("typical")}`;
    rows.push(["API RSS idle · peak under calls.list load (raw · typical: idle · peak)", `${rss("api")} (raw: ${rss("raw")}${typical})`, "", ""]);
  }
  if (E) rows.push([`API RSS with ${E.subscribers} SSE streams open`, `${fmt(E.rssB.streamsOpen)} MB (before ${fmt(E.rssB.beforeStreams)} MB)`, "", ""]);
  const S = r.startup;
  if (S) {
    rows.push(["start → /readyz 200, PostgreSQL", `${fmt(S.postgres.readyMs)} ms (RSS ${fmt(S.postgres.idleRssMb)} MB)`, "", ""]);
    rows.push(["start → /readyz 200, PGlite first run (migrate + demo seed) · restart", `${fmt(S.pgliteFirstRun.readyMs)} · ${fmt(S.pgliteRestart.readyMs)} ms (RSS ${fmt(S.pgliteRestart.idleRssMb)} MB)`, "", ""]);
  }
  const D = r.dashboard;
  if (D) {
    const js = D.size ? sizeLine(D.size) : "apps/web/dist/size.json missing";
    rows.push(["dashboard initial JavaScript + CSS (gzip)", js, "", ""]);
    if (D.signedIn) rows.push(["dashboard first-contentful-paint, acme.localhost (signed in cold · signed out cold · warm reload)", `${fmt(D.signedIn.fcpMs)} · ${fmt(D.signedOut.fcpMs)} · ${fmt(D.warmReload.fcpMs)} ms`, "", ""]);
  }
  return rows;
}

/** The list targets a result has, in the order they ran (older results have no typical build). */
const targetsOf = (L) => ["raw", "typicalCookie", "typicalApiKey", "cookie", "apiKey"].filter((k) => L[k]);

function sizeLine(size) {
  const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
  if (size.initialJs?.gzipBytes) return `${kib(size.initialJs.gzipBytes)} JS (${size.initialJs.files.length} files) + ${kib(size.initialCss?.gzipBytes ?? 0)} CSS`;
  return "`" + JSON.stringify(size).slice(0, 160) + "`";
}

export function renderMarkdown(r) {
  const m = r.machine;
  const out = [];
  out.push(`# Switchboard benchmark: ${r.label}${r.quick ? " (quick)" : ""}`, "");
  out.push(`${r.date} · commit ${m.commit}${m.dirty ? " + uncommitted changes" : ""} · ${m.nproc} cores (${m.cpu}) · ${m.memoryGiB} GiB · ${m.os} · Node ${m.node} · PostgreSQL ${m.postgres} · load average at start ${m.loadAvgAtStart?.join(" ")}, at end ${m.loadAvgAtEnd?.join(" ")} (other work shares the machine)`, "");
  const d = r.dataset;
  out.push(`Dataset: \`pnpm db:seed ${d.args}\` → ${Object.entries(d.counts).map(([k, v]) => `${v.toLocaleString("en")} ${k}`).join(", ")} (${d.databaseSize}; generated in ${(d.seedMs / 1000).toFixed(0)} s${d.indexMs === undefined ? "" : `, then ${d.deferredIndexes.join(", ")} built in ${(d.indexMs / 1000).toFixed(0)} s`}${d.restoredFrom ? `; this run started from a saved copy of that generated cluster (\`--dataset-cache\`), restored in ${(d.restoreMs / 1000).toFixed(0)} s` : ""}). Throwaway cluster: fsync=off, synchronous_commit=off, full_page_writes=off, shared_buffers=256MB; otherwise defaults. \`VACUUM ANALYZE\` after loading.`, "");
  out.push("| measure | result | goal | |", "|---|---|---|---|");
  for (const row of summaryRows(r)) out.push(`| ${row.join(" | ")} |`);
  out.push("");
  if (r.list) {
    const L = r.list;
    out.push("## 1. calls.list: full stack vs typical build vs raw stack", "");
    out.push(`autocannon, ${L.settings.connections} connections, ${L.settings.warmupSeconds} s warm-up per target, ${L.settings.rounds} rounds × ${L.settings.seconds} s interleaved (${targetsOf(L).join(", ")}); medians of the rounds. Requests rotate over ${L.settings.distinctRequests} (tenant, cursor) pairs in ${L.settings.tenants} tenants: \`status: "completed"\`, 50 rows, a keyset cursor (page 3 or 9). One process each, pool ${r.settings.poolMax}, NODE_ENV=production, LOG_LEVEL=warn.`, "");
    out.push("| target | req/s (rounds) | p50 ms | p99 ms | non-2xx | errors | CPU ms per request: server · PostgreSQL · autocannon |", "|---|---|---|---|---|---|---|");
    const cpu = (c) => (c ? `${fmt(c.server)} · ${fmt(c.postgres)} · ${fmt(c.load)}` : "–");
    for (const k of targetsOf(L)) out.push(`| ${k} | ${L[k].reqPerSec} (${L[k].rounds.join(", ")}) | ${L[k].p50} | ${L[k].p99} | ${L[k].non2xx} | ${L[k].errors} | ${cpu(L[k].cpuMsPerRequest)} |`);
    out.push("");
  }
  if (r.rls) {
    const R = r.rls;
    out.push("## 2. RLS overhead", "");
    out.push(`${R.iterations} executions of each variant, alternating, one connection each; only the statement is timed (the app role's transaction sets the scope first, as withScope does). Same rows returned: ${R.sameRows}.`, "");
    out.push("| variant | p50 ms | p90 ms | p99 ms |", "|---|---|---|---|");
    for (const [k, v] of Object.entries(R.latencyMs)) out.push(`| ${k} | ${v.p50} | ${v.p90} | ${v.p99} |`);
    out.push("");
    for (const [k, v] of Object.entries(R.plans)) out.push(`**${k}**`, "```", v, "```", "");
  }
  if (r.events) {
    const E = r.events;
    out.push("## 3. Live events", "");
    out.push(`${E.subscribers} SSE streams on replica B (${E.layout.hotTenants} hot tenants × ${E.layout.streamsPerHotTenant} streams, ${E.layout.coldTenants} tenants × ${E.layout.streamsPerColdTenant}; sessions of 4 members and API keys, ≤ 5 streams each), opened in ${E.openMs} ms. ${E.events} engagements.create on replica A (~20/s, alternating hot and cold tenants); latency from sending the create to each stream receiving the event.`, "");
    out.push(`- delivery: p50 ${E.latencyMs.p50} ms, p90 ${E.latencyMs.p90} ms, p99 ${E.latencyMs.p99} ms, max ${E.latencyMs.max} ms (${E.deliveries}/${E.expectedDeliveries}); slowest subscriber per event p50 ${E.worstSubscriberPerEventMs.p50} ms, p99 ${E.worstSubscriberPerEventMs.p99} ms`);
    out.push(`- the create itself: p50 ${E.createLatencyMs.p50} ms, p99 ${E.createLatencyMs.p99} ms`);
    out.push(`- engagements.create throughput (autocannon, API keys over the subscribed tenants): ${E.writeThroughput.without.reqPerSec} req/s (p99 ${E.writeThroughput.without.p99} ms) without streams, ${E.writeThroughput.with.reqPerSec} req/s (p99 ${E.writeThroughput.with.p99} ms) with ${E.subscribers} open; NOTIFY is sent either way`);
    out.push(`- replica B RSS: ${E.rssB.beforeStreams} MB before, ${E.rssB.streamsOpen} MB with the streams, ${E.rssB.afterWriteLoad} MB after the write load`, "");
  }
  if (r.search) {
    const Q = r.search;
    out.push("## 6. Search", "");
    out.push(`\`engagements.list { q, limit: ${Q.limit} }\` through the API with a viewer's session (app role, RLS), one request at a time, ${Q.requests} requests over ${Q.tenants} tenants: common terms ${Q.terms.common.join(", ")}; medium ${Q.terms.medium.join(", ")}; ${Q.terms.name}; ${Q.terms.rare}; absent ${Q.terms.absent.join(", ")}. Each answer compared with the owner's query with an explicit tenant_id: ${Q.mismatches} mismatches, ${Q.failures} failed requests.`, "");
    out.push("| terms | n | p50 ms | p95 ms | p99 ms | max ms | results (median · max) |", "|---|---|---|---|---|---|---|");
    for (const [k, v] of Object.entries(Q.latencyMs)) {
      const res = Q.resultsPerRequest[k];
      out.push(`| ${k} | ${v.n} | ${v.p50} | ${v.p95} | ${v.p99} | ${v.max} | ${res ? `${res.median} · ${res.max}` : ""} |`);
    }
    out.push("");
    if (Q.examples.length) out.push("Examples of mismatches or failures: `" + JSON.stringify(Q.examples) + "`", "");
    for (const [k, v] of Object.entries(Q.plans)) out.push(`**plan as the app role, ${k}**`, "```", v, "```", "");
  }
  if (r.thread) {
    const T = r.thread;
    out.push("## 7. A long thread: messages.list vs calls.list", "");
    out.push(`autocannon, ${T.settings.connections} connections, ${T.settings.warmupSeconds} s warm-up each, ${T.settings.rounds} rounds × ${T.settings.seconds} s interleaved (calls, messages); viewer sessions. messages.list \`{ engagementId, limit: 50 }\` over ${T.threads} threads of 50 messages (${T.rowsPerAnswer.messages} rows per answer); calls.list \`{ status: "completed", limit: 50, cursor }\` as in section 1 (${T.rowsPerAnswer.calls} rows).`, "");
    out.push("| target | req/s (rounds) | p50 ms | p99 ms | non-2xx | errors |", "|---|---|---|---|---|---|");
    for (const k of ["calls", "messages"]) out.push(`| ${k}.list | ${T[k].reqPerSec} (${T[k].rounds.join(", ")}) | ${T[k].p50} | ${T[k].p99} | ${T[k].non2xx} | ${T[k].errors} |`);
    out.push("");
  }
  if (r.messageEvents) {
    const M = r.messageEvents;
    out.push("## 8. Live messages", "");
    out.push(`${M.subscribers} SSE streams on replica B (${M.layout.hotTenants} hot tenants × ${M.layout.streamsPerHotTenant}, ${M.layout.coldTenants} tenants × ${M.layout.streamsPerColdTenant}), opened in ${M.openMs} ms. ${M.events} \`messages.send\` on replica A (~20/s, alternating hot and cold tenants, agent API keys); latency from sending to each stream receiving the \`message\` event.`, "");
    out.push(`- delivery: p50 ${M.latencyMs.p50} ms, p90 ${M.latencyMs.p90} ms, p99 ${M.latencyMs.p99} ms, max ${M.latencyMs.max} ms (${M.deliveries}/${M.expectedDeliveries}); slowest subscriber per message p50 ${M.worstSubscriberPerEventMs.p50} ms, p99 ${M.worstSubscriberPerEventMs.p99} ms`);
    out.push(`- messages.send itself: p50 ${M.sendLatencyMs.p50} ms, p99 ${M.sendLatencyMs.p99} ms`);
    const B = M.breakdownMs;
    if (B) {
      out.push(`- breakdown, at a LISTEN of the benchmark process: send → NOTIFY p50 ${B.sendToNotify.p50} ms, p90 ${B.sendToNotify.p90} ms, p99 ${B.sendToNotify.p99} ms, max ${B.sendToNotify.max} ms (A: the transaction up to its commit); NOTIFY → stream p50 ${B.notifyToDelivery.p50} ms, p90 ${B.notifyToDelivery.p90} ms, p99 ${B.notifyToDelivery.p99} ms, max ${B.notifyToDelivery.max} ms (B: shared read, frames; this process reading the sockets)`);
    }
    out.push("");
  }
  if (r.webhooks) {
    const W = r.webhooks;
    const F = W.fanOut;
    out.push("## 10. Webhooks", "");
    const O = W.outbox;
    if (O) {
      out.push(`Through the outbox: ${O.targetPerSecond} \`message.created\` events/s for ${O.seconds} s, each committed in its own transaction by \`recordWebhookEvent\` as the app role in its tenant's scope (packages/jobs/bench/outbox-producer.ts, a child process, 16 connections, at most 256 transactions open), round-robin over ${O.endpoints} tenants × ${O.keysPerEndpoint} open conversations (the order keys); the dispatcher runs in replica B's worker. Latency: the event's \`createdAt\` (taken before its transaction starts) → the receiver's first arrival.`, "");
      out.push(`- committed ${O.committed} (${O.committedPerSecond}/s; ${O.skippedAtInFlightCap} skipped at the in-flight cap, ${O.failedCommits} failed); delivered ${O.delivered}; lost ${O.lost}; duplicates ${O.duplicates} (deliveries retried: ${O.retriedDeliveries}); bad signatures ${O.badSignatures}`);
      out.push(`- commit → delivery: p50 ${O.latencyMs.p50} ms, p90 ${O.latencyMs.p90} ms, p99 ${O.latencyMs.p99} ms, max ${O.latencyMs.max} ms`, "");
      out.push("Over HTTP (`messages.send`):", "");
    }
    out.push(`${F.endpoints} tenants with one endpoint each (a local receiver checking every signature, in its own process), subscribed to \`message.created\`. \`messages.send\` on replica A, open loop at ${F.targetPerSecond}/s for ${F.seconds} s (agent API keys, at most 512 in flight); the dispatcher runs in replica B's worker. Latency: the message's \`createdAt\` (inside its transaction, so at or before the commit) → the receiver's first arrival.`, "");
    out.push(`- sent ${F.sent} (${F.achievedPerSecond}/s; ${F.skippedAtInFlightCap} skipped at the in-flight cap, ${F.failedSends} failed); delivered ${F.delivered}; lost ${F.lost}; duplicates ${F.duplicates} (deliveries retried: ${F.retriedDeliveries}); bad signatures ${F.badSignatures}`);
    out.push(`- commit → delivery: p50 ${F.latencyMs.p50} ms, p90 ${F.latencyMs.p90} ms, p99 ${F.latencyMs.p99} ms, max ${F.latencyMs.max} ms; still pending after the run: ${W.pendingAfter}`);
    const roundsOf = (c) =>
      `no endpoints ${c.withoutEndpoints.reqPerSec} req/s (${c.withoutEndpoints.rounds.map((x) => x.reqPerSec).join(", ")}), 10 endpoints ${c.withTenEndpoints.reqPerSec} req/s (${c.withTenEndpoints.rounds.map((x) => x.reqPerSec).join(", ")}): cost ${c.costPercent === null ? `void (${c.refused} non-2xx answers or errors)` : `${c.costPercent}%`}`;
    out.push(`- messages.send throughput, autocannon ${W.cost.connections} connections, ${W.cost.rounds} × ${W.cost.roundSeconds} s interleaved, request budgets out of the way:`);
    out.push(`  - the send path (worker stopped, its deliveries sent after): ${roundsOf(W.cost)}`);
    if (W.cost.deliveriesRunning) out.push(`  - with the worker delivering on the same cores: ${roundsOf(W.cost.deliveriesRunning)}`);
    out.push("");
  }
  if (r.exports) {
    const X = r.exports;
    out.push("## 11. Exports", "");
    out.push(`${X.calls.toLocaleString("en")} calls in one tenant (${X.rowsExported.toLocaleString("en")} exported; the added ones by generate_series in ${fmt(X.seedSeconds)} s). \`exports.create { kinds: ["calls"], format: "${X.format}" }\` over HTTP on a replica with the worker on; polled with exports.list; then downloaded through its signed link and gunzipped.`, "");
    out.push(`- job (startedAt → finishedAt): ${fmt(X.jobSeconds)} s = ${X.rowsPerSecond} rows/s; request → ready ${fmt(X.endToEndSeconds)} s; ${(X.bytes / 1e6).toFixed(1)} MB gzip`);
    out.push(`- the API process: RSS ${X.apiRssMb.idle} MB idle, peak ${X.apiRssMb.peak} MB during the export; CPU ${fmt(X.apiCpuSeconds)} s; PostgreSQL's CPU ${fmt(X.postgresCpuSeconds)} s; load average at the end ${X.loadAvg.join(", ")} (2 cores)`);
    out.push(`- download: ${(X.download.bytes / 1e6).toFixed(1)} MB in ${fmt(X.download.seconds)} s, ${X.download.lines} lines (${X.download.linesMatch ? "= rows" : "≠ rows"}), Content-Length ${X.download.sizeMatches ? "= bytes" : "≠ bytes"}`, "");
  }
  if (r.migration) {
    const G = r.migration;
    out.push("## 9. Online migration 0014 on the dataset", "");
    out.push(`Rewound in ${Math.round(G.rewindMs / 1000)} s to the shape before issue #13 (${G.legacyMessages} first messages back in engagements.message; contacts, handles, threads, labels dropped; the step's indexes dropped, its constraints NOT VALID, its ledger rows removed; VACUUM ANALYZE). Then \`apps/api/dist/migrate.mjs\` as a deploy runs it, with one API replica serving engagements.create / engagements.list meanwhile (one request at a time, an enterprise tenant).`, "");
    out.push(`- generated: \`${JSON.stringify(G.generated)}\`; rewound: \`${JSON.stringify(G.rewound)}\`; after: \`${JSON.stringify(G.after)}\``);
    out.push(`- step: ${(G.stepMs / 1000).toFixed(1)} s; ${G.log.join("; ")}`);
    out.push(`- checks: \`${JSON.stringify(G.check)}\` → ${G.checksPassed ? "passed" : `failed: ${G.failedChecks.join(", ")}`}`);
    out.push(`- the API meanwhile: ${G.servingMeanwhile.requests} requests, ${G.servingMeanwhile.failures} failed, p50 ${G.servingMeanwhile.latencyMs.p50} ms, p99 ${G.servingMeanwhile.latencyMs.p99} ms, max ${G.servingMeanwhile.latencyMs.max} ms`, "");
  }
  if (r.purge) {
    const P = r.purge;
    const line = (name, x) => `- ${name}: ${x.n} requests in ${x.seconds} s (${x.reqPerSec}/s), p50 ${x.p50} ms, p99 ${x.p99} ms, max ${x.max} ms, ${x.errors} failed`;
    out.push("## 12. Purge after archive", "");
    out.push(`A generated tenant (\`--scale ${P.settings.scale} --days ${P.settings.days}\`) of ${P.rows.toLocaleString("en")} rows: \`${JSON.stringify(P.rowsPerTable)}\`, archived past its grace period, then one \`purge.tenant\` job woken in replica B's worker (${P.settings.batch}). Meanwhile replica A serves \`calls.list\` (API key, pages after a cursor) to ${P.settings.loadedTenant} from ${P.settings.connections} closed-loop connections: ${P.settings.seconds} s before, during the purge, ${P.settings.seconds} s after.`, "");
    out.push(`- purge: enqueue → tenant row gone ${fmt(P.purgeSeconds)} s; the job ${P.job?.ms} ms, ${P.job?.batches} batches; rows left ${P.rowsLeft}; platform_audit entry: ${P.audited ? "yes" : "no"}`);
    for (const k of ["before", "during", "after"]) out.push(line(k, P.latency[k]));
    if (P.latency.baseline) out.push(line("baseline (before and after together)", { ...P.latency.baseline, seconds: P.latency.before.seconds + P.latency.after.seconds, reqPerSec: "–", errors: P.latency.before.errors + P.latency.after.errors }));
    out.push(`- p99 during ÷ baseline: ${fmt(P.p99Ratio)}`, "");
  }
  if (r.startup) {
    const S = r.startup;
    out.push("## 4. Start-up and memory", "");
    out.push(`- PostgreSQL: spawn → /readyz 200 ${S.postgres.runs.join(", ")} ms; idle RSS ${S.postgres.idleRssMb} MB`);
    out.push(`- PGlite first run (create, migrate, demo seed with argon2): ${S.pgliteFirstRun.readyMs} ms, RSS ${S.pgliteFirstRun.idleRssMb} MB; restart on the same data dir: ${S.pgliteRestart.runs.join(", ")} ms, RSS ${S.pgliteRestart.idleRssMb} MB`, "");
  }
  if (r.dashboard) {
    const D = r.dashboard;
    out.push("## 5. Dashboard", "");
    out.push(`- apps/web/dist/size.json: \`${JSON.stringify(D.size)}\``);
    if (D.signedIn) out.push(`- Chromium (headless, fresh profile each run), ${D.url}: FCP signed in ${D.signedIn.runs.join(", ")} ms; signed out ${D.signedOut.runs.join(", ")} ms; warm reload ${D.warmReload.runs.join(", ")} ms`);
    else out.push(`- Chromium: ${D.skipped}`);
    out.push("");
  }
  if (r.errors) {
    out.push("## Sections that failed", "");
    for (const [k, v] of Object.entries(r.errors)) out.push(`- ${k}: \`${v.replace(/`/g, "'").replace(/\n/g, " ")}\``);
    out.push("");
  }
  out.push(`Wall time ${r.wallSeconds ?? "?"} s.`, "");
  return out.join("\n");
}
