/**
 * tRPC plumbing: initialisation, error shape, and the base procedures every router builds on.
 * Edit here when a new kind of caller or a new cross-cutting rule appears; domain routers never do.
 *
 * Sections: 1. init and error formatting · 2. middlewares · 3. base procedures.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { and, eq, inArray } from "drizzle-orm";
import { enterTenant, memberships, type Role, type Tenant, tenants, type Tx, withScope } from "@switchboard/db";
import type { Context } from "./context";
import { DomainError } from "./errors";

// ---------------------------------------------------------------------------------------------------------
// 1. init and error formatting
// ---------------------------------------------------------------------------------------------------------

interface Issue {
  path: string;
  message: string;
}

/** Validation issues from zod (or any Standard Schema) carried as the error's cause. */
function validationIssues(cause: unknown): Issue[] | null {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return null;
  return issues.map((i: { path?: PropertyKey[]; message?: string }) => ({
    path: (i.path ?? []).map((p) => String(typeof p === "object" && p ? (p as { key: unknown }).key : p)).join("."),
    message: i.message ?? "Invalid value",
  }));
}

/**
 * Procedure metadata. `audit.resourceType` names the entity a mutation changes (`member`, `agent`, `call`…);
 * the audit trail records it with the procedure path as the action.
 */
export interface Meta {
  audit?: { resourceType: string };
}

const t = initTRPC.context<Context>().meta<Meta>().create({
  // Subscriptions over Server-Sent Events: a ping every 10 s keeps proxies from closing idle streams, and
  // clients reconnect (sending Last-Event-ID, see engagements.onEvent) if they hear nothing for 25 s.
  sse: {
    ping: { enabled: true, intervalMs: 10_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
  // Never a stack trace, SQL text or an internal message in a response, in any mode.
  errorFormatter({ shape, error }) {
    const issues = error.code === "BAD_REQUEST" ? validationIssues(error.cause) : null;
    const message =
      error.code === "INTERNAL_SERVER_ERROR"
        ? "Internal server error"
        : issues
          ? `Invalid input: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`
          : shape.message;
    return {
      code: shape.code,
      message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        ...(issues ? { issues } : {}),
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const mergeRouters = t.mergeRouters;

// ---------------------------------------------------------------------------------------------------------
// 2. middlewares
// ---------------------------------------------------------------------------------------------------------

/** Maps DomainError thrown by services to its tRPC code. */
const mapDomainErrors = t.middleware(async function mapDomainErrors({ next }) {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    throw new TRPCError({ code: result.error.cause.kind, message: result.error.cause.message });
  }
  return result;
});

const requireSession = t.middleware(function requireSession({ ctx, next }) {
  if (!ctx.user || !ctx.sessionId) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  return next({ ctx: { user: ctx.user, sessionId: ctx.sessionId } });
});

export const roleRank: Record<Role, number> = { viewer: 1, agent: 2, admin: 3, owner: 4 };

/**
 * The caller's role in `tenant`: their own membership, or their membership in its parent (access flows down
 * to departments, never up or sideways). The higher one wins.
 */
export async function roleIn(tx: Tx, tenant: Pick<Tenant, "id" | "parentId">, userId: string): Promise<Role | null> {
  const ids = tenant.parentId ? [tenant.id, tenant.parentId] : [tenant.id];
  const rows = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), inArray(memberships.tenantId, ids)));
  return rows.reduce<Role | null>((best, r) => (!best || roleRank[r.role] > roleRank[best] ? r.role : best), null);
}

// ---------------------------------------------------------------------------------------------------------
// 3. base procedures
// ---------------------------------------------------------------------------------------------------------

export const publicProcedure = t.procedure.use(mapDomainErrors);

/** A signed-in user (session cookie). */
export const authedProcedure = publicProcedure.use(requireSession);

/**
 * Caller acting inside the request's tenant. One transaction per call: resolve the tenant by slug, narrow the
 * RLS scope to it, check the caller's role, run the procedure. `next()` does not throw: rethrow so the
 * transaction rolls back.
 */
export const tenantProcedure = authedProcedure.use(async function withTenantScope({ ctx, next }) {
  const slug = ctx.tenantSlug;
  if (!slug) throw new TRPCError({ code: "BAD_REQUEST", message: "No tenant for this host: use a tenant subdomain or the x-tenant header" });
  return withScope(ctx.db, { tenantSlug: slug, userId: ctx.user.id }, async (tx) => {
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.slug, slug));
    if (!tenant) throw new TRPCError({ code: "NOT_FOUND", message: `Tenant "${slug}" not found` });
    await enterTenant(tx, tenant);
    const role = await roleIn(tx, tenant, ctx.user.id);
    if (!role && !ctx.user.isPlatformAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this tenant" });
    if (tenant.status !== "active" && !ctx.user.isPlatformAdmin) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This tenant is ${tenant.status}` });
    }
    const result = await next({ ctx: { tx, tenant, role: role ?? ("owner" as Role) } });
    if (!result.ok) throw result.error;
    return result;
  });
});

function requireRole(min: Role) {
  return t.middleware(function requireRole({ ctx, next }) {
    const role = (ctx as unknown as { role: Role }).role;
    if (roleRank[role] < roleRank[min]) {
      throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${min} role or higher` });
    }
    return next();
  });
}

/** Writes domain data: owner, admin, agent. */
export const tenantAgentProcedure = tenantProcedure.use(requireRole("agent"));
/** Manages members, keys, settings, AI agents: owner, admin. */
export const tenantAdminProcedure = tenantProcedure.use(requireRole("admin"));
/** Archives the tenant, changes owners. */
export const tenantOwnerProcedure = tenantProcedure.use(requireRole("owner"));
