// The "raw stack" baseline for `pnpm bench`: a bare Fastify route running calls.list's SQL with postgres.js as
// the owner (no tRPC, no auth, no RLS; the tenant is an explicit `tenant_id = $1`). Same pool size and process
// settings as the API replicas it is compared with; same response shape as calls.list.
//   DATABASE_URL=postgres://owner@… PORT=… DB_POOL_MAX=10 node scripts/bench/raw-server.mjs
import { createRequire } from "node:module";
import { join } from "node:path";
import postgres from "postgres";
import { root } from "../lib/stack.mjs";

// fastify is a dependency of the API app, not of the root: resolve it from there (same version as the API).
const Fastify = createRequire(join(root, "apps/api/package.json"))("fastify");

const sql = postgres(process.env.DATABASE_URL, { max: Number(process.env.DB_POOL_MAX ?? 10), onnotice: () => {} });
const app = Fastify({ logger: false });

const view = (c) => ({
  id: c.id,
  agentId: c.agent_id,
  direction: c.direction,
  customerPhone: c.customer_phone,
  status: c.status,
  startedAt: c.started_at.toISOString(),
  endedAt: c.ended_at?.toISOString() ?? null,
  durationSeconds: c.duration_seconds,
  outcome: c.outcome,
  sentiment: c.sentiment,
});
const decode = (cursor) => JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
const encode = (at, id) => Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");

app.get("/readyz", async () => {
  await sql`select 1`;
  return { status: "ready" };
});

app.get("/calls", async (req) => {
  const { tenant, status, cursor } = req.query;
  const limit = Number(req.query.limit ?? 50);
  const [at, id] = cursor ? decode(cursor) : [null, null];
  // The same statement calls.list issues (the view's columns, same order and keyset), with the tenant spelled out.
  const rows = await sql`
    select id, agent_id, direction, customer_phone, status, started_at, ended_at, duration_seconds, outcome, sentiment
    from calls
    where tenant_id = ${tenant}
      ${status ? sql`and status = ${status}` : sql``}
      ${cursor ? sql`and (started_at, id) < (${at}::timestamptz, ${id}::uuid)` : sql``}
    order by started_at desc, id desc
    limit ${limit + 1}`;
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(view), nextCursor: rows.length > limit ? encode(last.started_at, last.id) : null };
});

await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
process.on("SIGTERM", async () => {
  await app.close();
  await sql.end({ timeout: 2 });
  process.exit(0);
});
