#!/usr/bin/env node
// Print the chart's values table (markdown) from the `# --` comments in values.yaml, helm-docs style.
//   node scripts/values-table.mjs           print the table
//   node scripts/values-table.mjs --write   replace the table between the markers in the chart README
// A chart test fails when the README's table differs from this output, so docs cannot drift from values.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { isMap, isPair, isScalar, parseDocument } from "yaml";

const chartDir = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "helm", "switchboard");
export const START = "<!-- values-table:start -->";
export const END = "<!-- values-table:end -->";

/** Description from a comment block: the text after the last `--` marker, joined into one line. */
function describe(comment) {
  if (!comment) return undefined;
  const lines = comment.split("\n").map((l) => l.trim());
  const start = lines.findLastIndex((l) => l.startsWith("--"));
  if (start < 0) return undefined;
  return lines
    .slice(start)
    .join(" ")
    .replace(/^--\s*/, "")
    .trim();
}

function rows(map, prefix, out) {
  map.items.forEach((pair, index) => {
    if (!isPair(pair) || !isScalar(pair.key)) return;
    const path = prefix ? `${prefix}.${pair.key.value}` : String(pair.key.value);
    // yaml attaches a comment above the first key of a nested map to the map itself.
    const comment = pair.key.commentBefore ?? (index === 0 ? map.commentBefore : undefined);
    const text = describe(comment);
    if (text !== undefined) {
      const value = pair.value?.toJSON?.() ?? (isScalar(pair.value) ? pair.value.value : null);
      out.push({ path, value: JSON.stringify(value), text });
    } else if (isMap(pair.value)) {
      rows(pair.value, path, out);
    } else {
      throw new Error(`values.yaml: ${path} has no "# --" description`);
    }
  });
  return out;
}

export function valuesTable() {
  const doc = parseDocument(readFileSync(join(chartDir, "values.yaml"), "utf8"));
  const escape = (s) => s.replaceAll("|", "\\|");
  const lines = ["| key | default | description |", "|---|---|---|"];
  for (const r of rows(doc.contents, "", [])) lines.push(`| \`${r.path}\` | \`${escape(r.value)}\` | ${escape(r.text)} |`);
  return lines.join("\n");
}

export function readmeWithTable(readme) {
  const before = readme.slice(0, readme.indexOf(START) + START.length);
  const after = readme.slice(readme.indexOf(END));
  return `${before}\n${valuesTable()}\n${after}`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--write")) {
    const file = join(chartDir, "README.md");
    writeFileSync(file, readmeWithTable(readFileSync(file, "utf8")));
  } else {
    console.log(valuesTable());
  }
}
