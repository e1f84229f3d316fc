/**
 * `pnpm db:seed`: the demo (tenants acme, acme-sales, globex with 30 days of data), written through scoped
 * transactions; or, with `--tenants N`, benchmark data:
 *
 *   pnpm db:seed --tenants 100 --days 30 --scale 1 --seed 42 [--until 2026-01-01T00:00:00Z] [--prefix gen] [--concurrency 4]
 *
 * Same seed and `--until` → the same rows. Scale 1 ≈ 33 calls, 20 engagements (≈ 6 messages each), 5 leads per
 * tenant-day, with their contacts, labels and canned responses.
 * Database: DATABASE_URL (or DATABASE_OWNER_URL), else the embedded PGlite in DATA_DIR.
 * Lives in the API app because demo users need argon2 hashes from @switchboard/auth.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { hashPassword } from "@switchboard/auth";
import { generateTenants, seed } from "@switchboard/db";
import { openDatabase } from "../database";
import { loadEnv } from "../env";

const { values: args } = parseArgs({
  options: {
    tenants: { type: "string" },
    days: { type: "string", default: "30" },
    scale: { type: "string", default: "1" },
    seed: { type: "string", default: "42" },
    until: { type: "string" },
    prefix: { type: "string", default: "gen" },
    concurrency: { type: "string", default: "4" },
  },
  strict: true,
});

function num(name: string, value: string | undefined, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}`);
  return n;
}

try {
  // pnpm runs this in apps/api; a relative DATA_DIR means the directory the command was typed in.
  const dataDir = resolve(process.env.INIT_CWD ?? process.cwd(), process.env.DATA_DIR ?? ".data/pglite");
  const env = loadEnv({
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: process.env.DATABASE_URL || process.env.DATABASE_OWNER_URL || "",
    SEED_DEMO: "false",
  });
  const started = Date.now();
  const { db } = await openDatabase(env, { checkRole: false });
  if (args.tenants === undefined) {
    const result = await seed(db, { hashPassword });
    console.log(result.created ? "demo data seeded" : "demo data already present");
  } else {
    const tenants = num("tenants", args.tenants, 1, 100_000);
    const until = args.until ? new Date(args.until) : new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    if (Number.isNaN(until.getTime())) throw new Error("--until must be an ISO timestamp");
    const step = Math.max(1, Math.floor(tenants / 20));
    const result = await generateTenants(db, {
      tenants,
      days: num("days", args.days, 1, 3650),
      scale: num("scale", args.scale, 0, 1000),
      seed: num("seed", args.seed, 0, 2 ** 32 - 1),
      until,
      prefix: args.prefix!,
      concurrency: num("concurrency", args.concurrency, 1, 64),
      hashPassword,
      onProgress(done, totals) {
        if (done % step === 0 || done === tenants) {
          const s = (Date.now() - started) / 1000;
          console.log(`  ${done}/${tenants} tenants, ${totals.calls} calls, ${totals.messages} messages, ${s.toFixed(1)} s`);
        }
      },
    });
    const seconds = (Date.now() - started) / 1000;
    const { users } = result;
    // Every count but `tenants` is rows of one table; each tenant is 5 rows (tenant, 4 memberships).
    const rows = (Object.values(result) as number[]).reduce((n, x) => n + x, 0) + result.tenants * 4;
    console.log(
      `generated ${result.tenants} tenants, ${users} users, ${result.agents} agents, ${result.contacts} contacts ` +
        `(${result.contactHandles} handles), ${result.calls} calls, ${result.leads} leads, ${result.engagements} engagements, ` +
        `${result.messages} messages, ${result.engagementLabels} labels on them, ${result.engagementEvents} events ` +
        `in ${seconds.toFixed(1)} s (${Math.round(rows / seconds)} rows/s, ${Math.round(result.messages / seconds)} messages/s)`,
    );
  }
  await db.close();
  process.exit(0);
} catch (err) {
  // Drizzle wraps the PostgreSQL error in "Failed query: <the whole statement>"; show the cause instead.
  const e = err as Error & { cause?: { message?: string; code?: string } };
  console.error(`seed failed: ${e.cause?.message ? `${e.cause.message} (${e.cause.code ?? "?"})` : e.message}`);
  process.exit(1);
}
