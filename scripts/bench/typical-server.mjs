// The "typical build" for `pnpm bench`: calls.list the way most tRPC apps serve it. tRPC's Fastify adapter,
// Drizzle on postgres.js without prepared statements, zod input, a session (or API key) lookup per request and a
// membership check, the tenant as `where tenant_id = $1` in application code. No RLS (it connects as the owner,
// like the raw stack), no transaction, no audit, no request budget. Same wire format and response as the API's
// calls.list (`GET /trpc/calls.list?input=…`, session cookie + `x-tenant`, or `Authorization: Bearer sk_…`).
//   DATABASE_URL=postgres://owner@… PORT=… DB_POOL_MAX=10 node scripts/bench/typical-server.mjs
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { join } from "node:path";
import postgres from "postgres";
import { root } from "../lib/stack.mjs";

// The same library versions the API runs, resolved from the packages that depend on them.
const fromApi = createRequire(join(root, "apps/api/package.json"));
const fromDb = createRequire(join(root, "packages/db/package.json"));
const Fastify = fromApi("fastify");
const { initTRPC, TRPCError } = fromApi("@trpc/server");
const { fastifyTRPCPlugin } = fromApi("@trpc/server/adapters/fastify");
const { z } = fromApi("zod");
const { drizzle } = fromDb("drizzle-orm/postgres-js");
const { and, desc, eq, gt, isNull, or, sql } = fromDb("drizzle-orm");
const { pgTable, text, timestamp, uuid, integer } = fromDb("drizzle-orm/pg-core");

// The tables as such an app would declare them (only the columns it touches).
const sessions = pgTable("sessions", { id: text().primaryKey(), userId: uuid().notNull(), expiresAt: timestamp({ withTimezone: true }).notNull() });
const users = pgTable("users", { id: uuid().primaryKey(), email: text().notNull(), name: text() });
const tenants = pgTable("tenants", { id: uuid().primaryKey(), slug: text().notNull() });
const memberships = pgTable("memberships", { tenantId: uuid().notNull(), userId: uuid().notNull(), role: text().notNull() });
const apiKeys = pgTable("api_keys", {
  tenantId: uuid().notNull(),
  role: text().notNull(),
  keyHash: text().notNull(),
  expiresAt: timestamp({ withTimezone: true }),
  revokedAt: timestamp({ withTimezone: true }),
});
const calls = pgTable("calls", {
  tenantId: uuid().notNull(),
  id: uuid().primaryKey(),
  agentId: uuid(),
  contactId: uuid(),
  direction: text().notNull(),
  customerPhone: text().notNull(),
  status: text().notNull(),
  startedAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
  endedAt: timestamp({ withTimezone: true, precision: 3 }),
  durationSeconds: integer(),
  outcome: text(),
  sentiment: text(),
  erasedAt: timestamp({ withTimezone: true, precision: 3 }),
});

const client = postgres(process.env.DATABASE_URL, { max: Number(process.env.DB_POOL_MAX ?? 10), prepare: false, onnotice: () => {} });
const db = drizzle(client, { casing: "snake_case" });
const sha256 = (s) => createHash("sha256").update(s).digest("hex");

/** Who is calling, and in which tenant: a session (by cookie) and its membership, or an API key. */
async function createContext({ req }) {
  const auth = req.headers.authorization;
  if (auth?.startsWith("Bearer sk_")) {
    const [key] = await db
      .select({ tenantId: apiKeys.tenantId, role: apiKeys.role })
      .from(apiKeys)
      .where(and(eq(apiKeys.keyHash, sha256(auth.slice(7))), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`))));
    return { tenantId: key?.tenantId ?? null, role: key?.role ?? null };
  }
  const token = /(?:^|;\s*)sb_session=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
  const slug = req.headers["x-tenant"];
  if (!token || typeof slug !== "string") return { tenantId: null, role: null };
  const [session] = await db
    .select({ userId: users.id, email: users.email })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sha256(token)), gt(sessions.expiresAt, sql`now()`)));
  if (!session) return { tenantId: null, role: null };
  const [member] = await db
    .select({ tenantId: tenants.id, role: memberships.role })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(tenants.slug, slug), eq(memberships.userId, session.userId)));
  return { tenantId: member?.tenantId ?? null, role: member?.role ?? null, user: session };
}

const t = initTRPC.context().create();
const tenantProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.tenantId) throw new TRPCError({ code: "UNAUTHORIZED" });
  return next({ ctx: { tenantId: ctx.tenantId, role: ctx.role } });
});

const cursorSchema = z.string().transform((c, zctx) => {
  try {
    const [at, id] = JSON.parse(Buffer.from(c, "base64url").toString("utf8"));
    if (Number.isNaN(Date.parse(at))) throw new Error("not a time");
    return { at, id: z.uuid().parse(id) };
  } catch {
    zctx.addIssue({ code: "custom", message: "Invalid cursor" });
    return z.NEVER;
  }
});
const listInput = z
  .strictObject({
    status: z.enum(["queued", "ringing", "in_progress", "completed", "failed", "missed"]).optional(),
    limit: z.number().int().min(1).max(100).default(50),
    cursor: cursorSchema.optional(),
  })
  .default({ limit: 50 });

const router = t.router({
  calls: t.router({
    list: tenantProcedure.input(listInput).query(async ({ ctx, input }) => {
      // The 12 columns calls.list's view is made of (calls.service.ts), spelled out again: this file stands alone.
      const rows = await db
        .select({
          id: calls.id,
          agentId: calls.agentId,
          contactId: calls.contactId,
          direction: calls.direction,
          customerPhone: calls.customerPhone,
          status: calls.status,
          startedAt: calls.startedAt,
          endedAt: calls.endedAt,
          durationSeconds: calls.durationSeconds,
          outcome: calls.outcome,
          sentiment: calls.sentiment,
          erasedAt: calls.erasedAt,
        })
        .from(calls)
        .where(
          and(
            eq(calls.tenantId, ctx.tenantId),
            input.status ? eq(calls.status, input.status) : undefined,
            // The same keyset comparison as calls.list, so both read the same index range.
            input.cursor ? sql`(${calls.startedAt}, ${calls.id}) < (${input.cursor.at}::timestamptz, ${input.cursor.id}::uuid)` : undefined,
          ),
        )
        .orderBy(desc(calls.startedAt), desc(calls.id))
        .limit(input.limit + 1);
      const items = rows.slice(0, input.limit);
      const last = items[items.length - 1];
      return {
        // The same items as the API's (callView): same fields, same order, so both send the same bytes.
        items: items.map(({ erasedAt, ...c }) => ({
          ...c,
          startedAt: c.startedAt.toISOString(),
          endedAt: c.endedAt?.toISOString() ?? null,
          erased: erasedAt !== null,
        })),
        nextCursor: rows.length > input.limit ? Buffer.from(JSON.stringify([last.startedAt.toISOString(), last.id])).toString("base64url") : null,
      };
    }),
  }),
});

const app = Fastify({ logger: false, routerOptions: { maxParamLength: 5000 } });
app.get("/readyz", async () => {
  await db.execute(sql`select 1`);
  return { status: "ready" };
});
await app.register(fastifyTRPCPlugin, { prefix: "/trpc", trpcOptions: { router, createContext } });
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
process.on("SIGTERM", async () => {
  await app.close();
  await client.end({ timeout: 2 });
  process.exit(0);
});
