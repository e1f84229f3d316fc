// Summarises a V8 .cpuprofile (from `node --cpu-prof`): top functions by self and inclusive time, mapped back to
// source files through the bundle's source map when there is one, and self time per package / source area.
//   node scripts/bench/cpuprofile-summary.mjs <file.cpuprofile> [--top 25] [--json out.json]
import { readFileSync, existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { join, dirname } from "node:path";
import { parseArgs } from "node:util";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
// source-map-js is in the workspace through the web build's tooling (not a direct dependency of the root).
let SourceMapConsumer = null;
for (const from of [
  "package.json",
  "apps/web/package.json",
  "node_modules/.pnpm/node_modules/.package.json",
]) {
  try {
    ({ SourceMapConsumer } = createRequire(join(root, from))("source-map-js"));
    break;
  } catch {}
}

export function summarize(file, { top = 25 } = {}) {
  const prof = JSON.parse(readFileSync(file, "utf8"));
  const consumers = new Map();
  const consumerFor = (url) => {
    if (!SourceMapConsumer || !url.startsWith("file://")) return null;
    if (consumers.has(url)) return consumers.get(url);
    const path = fileURLToPath(url) + ".map";
    const c = existsSync(path) ? new SourceMapConsumer(JSON.parse(readFileSync(path, "utf8"))) : null;
    consumers.set(url, c);
    return c;
  };
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyCache = new Map();
  const keyOf = (n) => {
    if (keyCache.has(n.id)) return keyCache.get(n.id);
    const { functionName, url, lineNumber, columnNumber } = n.callFrame;
    let where = url ? url.replace(/^file:\/\//, "").replace(root + "/", "") : "";
    const c = consumerFor(url);
    if (c && lineNumber >= 0) {
      const o = c.originalPositionFor({ line: lineNumber + 1, column: columnNumber });
      if (o.source)
        where = `${o.source.replace(/^(\.\.\/)+/, "").replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, "")}:${o.line}`;
    } else if (where) where = `${where.replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, "")}:${lineNumber + 1}`;
    const k = `${functionName || "(anonymous)"} ${where}`.trim();
    keyCache.set(n.id, k);
    return k;
  };
  const area = (k) => {
    const m = k.match(/ (\S+)$/);
    if (!m) return k; // (garbage collector), (program), (idle)
    const p = m[1];
    if (p.startsWith("node:")) return "node:" + p.slice(5).split(/[/:]/)[0];
    if (p.startsWith("src/")) return "drizzle-orm"; // drizzle-orm maps its sources as src/…
    const pkg = p.match(/^(@[^/]+\/[^/]+|[^/]+)\//);
    if (p.startsWith("packages/") || p.startsWith("apps/")) return p.split("/").slice(0, 2).join("/");
    return pkg ? pkg[1] : p;
  };
  const self = new Map();
  const incl = new Map();
  const areas = new Map();
  let total = 0;
  const dt = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) {
    const w = dt[i + 1] ?? dt[i] ?? 0;
    total += w;
    let id = prof.samples[i];
    const k0 = keyOf(byId.get(id));
    self.set(k0, (self.get(k0) ?? 0) + w);
    const a = area(k0);
    areas.set(a, (areas.get(a) ?? 0) + w);
    const seen = new Set();
    while (id !== undefined) {
      const k = keyOf(byId.get(id));
      if (!seen.has(k)) {
        seen.add(k);
        incl.set(k, (incl.get(k) ?? 0) + w);
      }
      id = parent.get(id);
    }
  }
  const idle = self.get("(idle)") ?? 0;
  const busy = total - idle;
  const rows = (m) =>
    [...m.entries()]
      .filter(([k]) => k !== "(idle)" && k !== "(root)")
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]) => ({ fn: k, ms: Math.round(v / 1000), pctBusy: Math.round((v / busy) * 1000) / 10 }));
  return {
    totalMs: Math.round(total / 1000),
    busyMs: Math.round(busy / 1000),
    idlePct: Math.round((idle / total) * 1000) / 10,
    self: rows(self),
    inclusive: rows(incl),
    areas: rows(areas),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values: opts, positionals } = parseArgs({
    options: { top: { type: "string", default: "25" }, json: { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  const s = summarize(positionals[0], { top: Number(opts.top) });
  if (opts.json) writeFileSync(opts.json, JSON.stringify(s, null, 2));
  console.log(`total ${s.totalMs} ms, busy ${s.busyMs} ms (idle ${s.idlePct}%)`);
  for (const [name, list] of [
    ["self", s.self],
    ["inclusive", s.inclusive],
    ["self by area", s.areas],
  ]) {
    console.log(`\n== ${name} (% of busy)`);
    for (const r of list)
      console.log(`${String(r.pctBusy).padStart(5)}%  ${String(r.ms).padStart(6)} ms  ${r.fn}`);
  }
}
