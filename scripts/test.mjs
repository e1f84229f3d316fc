#!/usr/bin/env node
// `pnpm test`: every package's tests through turbo, with the database tests on a real PostgreSQL server when
// one can be had (DATABASE_OWNER_URL / DATABASE_URL, else a throwaway cluster from local binaries), PGlite
// otherwise. It says which.
import { spawnSync } from "node:child_process";
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
const result = spawnSync("pnpm", ["exec", ...args], { stdio: "inherit", env });
cluster?.stop();
process.exit(result.status ?? 1);
