// `pnpm --filter @switchboard/sdk build`: dist/index.js (esbuild: one ES module; @trpc/* and eventsource stay
// imports, they are the package's dependencies) and dist/*.d.ts (tsc 7). The declarations must not import anything
// but those dependencies — an outsider's install has no workspace package, Drizzle or zod — so the build checks
// every import in them and fails on any other (src/contract.ts says how the server's types are flattened).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const here = new URL(".", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${here}package.json`, "utf8"));
const dependencies = Object.keys(pkg.dependencies ?? {});
const dist = `${here}dist`;

rmSync(dist, { recursive: true, force: true });

await build({
  entryPoints: [`${here}src/index.ts`],
  outfile: `${dist}/index.js`,
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  external: dependencies,
  logLevel: "warning",
});

const emitted = spawnSync(`${here}node_modules/.bin/tsc`, ["-p", `${here}tsconfig.build.json`], { stdio: "inherit" });
if (emitted.status !== 0) process.exit(emitted.status ?? 1);

const allowed = (specifier) =>
  specifier.startsWith("./") || dependencies.some((d) => specifier === d || specifier.startsWith(`${d}/`));
const foreign = [];
for (const file of readdirSync(dist).filter((f) => f.endsWith(".d.ts"))) {
  const text = readFileSync(`${dist}/${file}`, "utf8");
  for (const [, specifier] of text.matchAll(/(?:from\s+|import\s*\(\s*)["']([^"']+)["']/g)) {
    if (!allowed(specifier)) foreign.push(`${file}: ${specifier}`);
  }
}
if (foreign.length > 0) {
  console.error(`[sdk build] the declarations import what an outsider's install lacks:\n  ${foreign.join("\n  ")}`);
  process.exit(1);
}
console.log(`[sdk build] dist/index.js and ${readdirSync(dist).filter((f) => f.endsWith(".d.ts")).length} declaration files (imports: ${dependencies.join(", ")})`);
