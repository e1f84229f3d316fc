#!/usr/bin/env node
// `pnpm test`: every package's tests through turbo, with the database tests on a real PostgreSQL server when
// one can be had (DATABASE_OWNER_URL / DATABASE_URL, else a throwaway cluster from local binaries), PGlite
// otherwise. It says which.
import { spawn } from "node:child_process";
import { findPgBin, startCluster } from "./lib/postgres-cluster.mjs";

const given = process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL;
let cluster = null;
const env = { ...process.env };
if (given) {
  env.SB_TEST_DATABASE_URL = given;
  console.log(`[test] database: real PostgreSQL from ${process.env.DATABASE_OWNER_URL ? "DATABASE_OWNER_URL" : "DATABASE_URL"}`);
} else if (findPgBin()) {
  cluster = await startCluster();
  env.SB_TEST_DATABASE_URL = cluster.url;
  console.log(`[test] database: throwaway PostgreSQL cluster from ${findPgBin()} on port ${cluster.port}`);
} else {
  console.log("[test] database: embedded PGlite (no PostgreSQL found; isolation is proven only on a real server)");
}
delete env.DATABASE_URL;
delete env.DATABASE_OWNER_URL;

const args = ["turbo", "run", "test", "--continue", "--output-logs=new-only", ...process.argv.slice(2)];
// Output is passed through as it comes and tallied from each vitest run's "Tests  N passed | M failed" line.
const child = spawn("pnpm", ["exec", ...args], { stdio: ["inherit", "pipe", "inherit"], env });
let passed = 0;
let failed = 0;
let pending = "";
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  pending += chunk.toString();
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) {
    const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
    if (!/\bTests\s+\d/.test(plain)) continue;
    passed += Number(plain.match(/(\d+) passed/)?.[1] ?? 0);
    failed += Number(plain.match(/(\d+) failed/)?.[1] ?? 0);
  }
});
const status = await new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
cluster?.stop();
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(status === 0 && failed > 0 ? 1 : status);
