// 4. Start-up: process spawn to the first `/readyz` 200, on the real PostgreSQL and on embedded PGlite (first run
// with migrations and the demo seed, then a restart on the same data directory), with the idle RSS of each.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Replica } from "../lib/stack.mjs";
import { median, rssMb, sleep } from "./lib.mjs";

async function timeStart(env) {
  const r = new Replica(0, env);
  const t0 = performance.now();
  await r.start();
  const ms = Math.round(performance.now() - t0);
  await sleep(1000);
  const rss = rssMb(r.proc.pid);
  await r.stop();
  return { ms, rss };
}

export async function benchStartup({ env, repeats }) {
  const pg = [];
  for (let i = 0; i < repeats; i++) pg.push(await timeStart(env));
  const dir = mkdtempSync(join(tmpdir(), "sb-bench-pglite-"));
  const pgliteEnv = { ...env, DATABASE_URL: "", DATA_DIR: join(dir, "data") };
  try {
    const first = await timeStart(pgliteEnv);
    const restarts = [];
    for (let i = 0; i < repeats; i++) restarts.push(await timeStart(pgliteEnv));
    return {
      postgres: { readyMs: median(pg.map((x) => x.ms)), runs: pg.map((x) => x.ms), idleRssMb: median(pg.map((x) => x.rss)) },
      pgliteFirstRun: { readyMs: first.ms, idleRssMb: first.rss },
      pgliteRestart: { readyMs: median(restarts.map((x) => x.ms)), runs: restarts.map((x) => x.ms), idleRssMb: median(restarts.map((x) => x.rss)) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
