// 2. RLS overhead on the full dataset: calls.list's statement as the app role under RLS (scope set as
// withScope sets it) against the owner (no RLS, explicit tenant_id). Only the statement is timed, on one
// connection each, alternating; plus EXPLAIN (ANALYZE, BUFFERS) of each variant.
import postgres from "postgres";
import { summarize } from "./lib.mjs";

const columns = `"id", "agent_id", "direction", "customer_phone", "status", "started_at", "ended_at",
  "duration_seconds", "outcome", "sentiment"`;
// What Drizzle renders for listCalls({ status, cursor, limit: 50 }) before and after the explicit tenant predicate.
const rlsOnly = `select ${columns} from "calls" where ("calls"."status" = $1 and ("calls"."started_at", "calls"."id") < ($2::timestamptz, $3::uuid)) order by "calls"."started_at" desc, "calls"."id" desc limit $4`;
const rlsPlusTenant = `select ${columns} from "calls" where ("calls"."tenant_id" = $5 and "calls"."status" = $1 and ("calls"."started_at", "calls"."id") < ($2::timestamptz, $3::uuid)) order by "calls"."started_at" desc, "calls"."id" desc limit $4`;

export async function benchRls({ ownerUrl, appUrl, tenants, cursors, iterations }) {
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  const app = postgres(appUrl, { max: 1, onnotice: () => {} });
  const cases = [];
  for (const t of tenants) for (const c of cursors.get(t.id) ?? []) cases.push({ t, c: JSON.parse(Buffer.from(c, "base64url").toString()) });
  const paramsOf = ({ t, c }, withTenant) => ["completed", c[0], c[1], 51, ...(withTenant ? [t.id] : [])];

  async function asApp(kase, text, fn) {
    return app.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${kase.t.id}, true), set_config('app.user_id', ${kase.t.users.viewer}, true)`;
      return fn(tx, text);
    });
  }
  // Unprepared (parse + plan each time) and prepared (as the API runs it since it prepares every statement:
  // after five runs PostgreSQL may switch to a generic plan, so the prepared samples cover that plan too).
  const timed = async (tx, text, params, prepare) => {
    const t0 = performance.now();
    await tx.unsafe(text, params, { prepare });
    return performance.now() - t0;
  };

  const samples = { owner: [], rlsOnly: [], rlsPlusTenant: [], ownerPrepared: [], rlsOnlyPrepared: [] };
  for (let i = 0; i < iterations; i++) {
    const kase = cases[(i * 7919) % cases.length];
    samples.owner.push(await timed(owner, rlsPlusTenant, paramsOf(kase, true), false));
    samples.rlsOnly.push(await asApp(kase, rlsOnly, (tx) => timed(tx, rlsOnly, paramsOf(kase, false), false)));
    samples.rlsPlusTenant.push(await asApp(kase, rlsPlusTenant, (tx) => timed(tx, rlsPlusTenant, paramsOf(kase, true), false)));
    samples.ownerPrepared.push(await timed(owner, rlsPlusTenant, paramsOf(kase, true), true));
    samples.rlsOnlyPrepared.push(await asApp(kase, rlsOnly, (tx) => timed(tx, rlsOnly, paramsOf(kase, false), true)));
  }
  const kase = cases[0];
  const explain = (text) => `explain (analyze, buffers, costs off, timing off, summary off) ${text}`;
  const plan = (rows) => rows.map((r) => r["QUERY PLAN"]).join("\n");
  const plans = {
    owner: plan(await owner.unsafe(explain(rlsPlusTenant), paramsOf(kase, true), { prepare: false })),
    rlsOnly: plan(await asApp(kase, rlsOnly, (tx) => tx.unsafe(explain(rlsOnly), paramsOf(kase, false), { prepare: false }))),
    rlsPlusTenant: plan(await asApp(kase, rlsPlusTenant, (tx) => tx.unsafe(explain(rlsPlusTenant), paramsOf(kase, true), { prepare: false }))),
    // The generic plan PostgreSQL may cache for the prepared statement (PostgreSQL 15 has no EXPLAIN (GENERIC_PLAN)).
    rlsOnlyGeneric: plan(
      await asApp(kase, rlsOnly, async (tx) => {
        await tx.unsafe(`prepare list_generic as ${rlsOnly}`);
        await tx.unsafe("set local plan_cache_mode = force_generic_plan");
        const literal = (v) => (typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
        const rows = await tx.unsafe(
          `explain (analyze, buffers, costs off, timing off, summary off) execute list_generic(${paramsOf(kase, false).map(literal).join(", ")})`,
        );
        await tx.unsafe("deallocate list_generic");
        return rows;
      }),
    ),
  };
  // Rows are the same either way (isolation check for the comparison itself).
  const [a, b] = [
    await owner.unsafe(rlsPlusTenant, paramsOf(kase, true)),
    await asApp(kase, rlsOnly, (tx) => tx.unsafe(rlsOnly, paramsOf(kase, false))),
  ];
  const sameRows = a.length === b.length && a.every((r, i) => r.id === b[i].id);
  await owner.end();
  await app.end();
  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
  const ratio = (k) => Math.round((s[k].p50 / s.owner.p50) * 100) / 100;
  const p50Ratio = {
    rlsOnly: ratio("rlsOnly"),
    rlsPlusTenant: ratio("rlsPlusTenant"),
    rlsOnlyPrepared: Math.round((s.rlsOnlyPrepared.p50 / s.ownerPrepared.p50) * 100) / 100,
  };
  return { iterations, latencyMs: s, p50Ratio, sameRows, plans, sql: { rlsOnly, rlsPlusTenant } };
}
