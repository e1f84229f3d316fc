#!/usr/bin/env node
// Measures the data generator on a throwaway PostgreSQL cluster (fsync off, like the test cluster):
//   node scripts/bench-seed.mjs --tenants 100 --days 30 --scale 1 --seed 42
// Migrates as the owner, then runs `pnpm db:seed <args>` as the app role (through RLS, as the demo seed does)
// and prints the table sizes. Pass DATABASE_OWNER_URL to use an existing server instead.
import { spawnSync } from "node:child_process";
import postgres from "postgres";
import { startCluster } from "./lib/postgres-cluster.mjs";

const cluster = process.env.DATABASE_OWNER_URL ? null : await startCluster();
const ownerUrl = process.env.DATABASE_OWNER_URL ?? cluster.url;
const appUrl = (() => {
  const u = new URL(ownerUrl);
  u.username = "sb_bench_app";
  u.password = "sb_bench_app";
  return u.toString();
})();
const run = (args, env) => {
  const r = spawnSync("pnpm", args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`pnpm ${args.join(" ")} failed`);
};
try {
  run(["db:migrate"], { DATABASE_OWNER_URL: ownerUrl, DATABASE_URL: appUrl });
  const t0 = Date.now();
  run(["db:seed", ...process.argv.slice(2)], { DATABASE_URL: appUrl, DATABASE_OWNER_URL: "" });
  console.log(`[bench] db:seed wall time ${((Date.now() - t0) / 1000).toFixed(1)} s (process start and argon2 included)`);
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  const rows = await sql`select relname as table, n_live_tup as rows, pg_size_pretty(pg_total_relation_size(relid)) as size
    from pg_stat_user_tables where relname in ('tenants','users','agents','calls','leads','engagements','engagement_events') order by relname`;
  console.table(rows);
  await sql.end();
} finally {
  cluster?.stop();
}
