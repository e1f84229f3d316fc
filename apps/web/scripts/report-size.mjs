#!/usr/bin/env node
// Prints what the first page load downloads: the entry chunk and everything it imports statically (not the
// lazily loaded route chunks), gzipped, read from Vite's manifest. Writes the numbers to dist/size.json so CI can
// track them.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));

const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
if (entries.length === 0) throw new Error("report-size: no entry in dist/.vite/manifest.json");

const js = new Set();
const css = new Set();
function visit(key) {
  const chunk = manifest[key];
  if (!chunk || js.has(chunk.file)) return;
  js.add(chunk.file);
  for (const file of chunk.css ?? []) css.add(file);
  for (const imported of chunk.imports ?? []) visit(imported);
}
entries.forEach(visit);

const measure = (files) =>
  [...files].reduce(
    (sum, file) => {
      const bytes = readFileSync(join(dist, file));
      return { raw: sum.raw + bytes.length, gzip: sum.gzip + gzipSync(bytes, { level: 9 }).length };
    },
    { raw: 0, gzip: 0 },
  );

const initialJs = measure(js);
const initialCss = measure(css);
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
const report = {
  initialJs: { files: [...js], bytes: initialJs.raw, gzipBytes: initialJs.gzip },
  initialCss: { files: [...css], bytes: initialCss.raw, gzipBytes: initialCss.gzip },
};
writeFileSync(join(dist, "size.json"), JSON.stringify(report, null, 2) + "\n");
console.log(
  `initial JavaScript: ${kb(initialJs.gzip)} gzip (${kb(initialJs.raw)} raw, ${js.size} file${js.size === 1 ? "" : "s"}); ` +
    `initial CSS: ${kb(initialCss.gzip)} gzip`,
);
