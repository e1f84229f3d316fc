/**
 * tRPC plumbing: initialisation, error shape, and the base procedures every router builds on.
 * Edit here when a new kind of caller or a new cross-cutting rule appears; domain routers never do.
 *
 * Sections: 1. init and error formatting · 2. middlewares (sessions, roles, tenant admission, audit) · 3. base procedures.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { and, eq, inArray } from "drizzle-orm";
import { type AuthUser, hashToken } from "@switchboard/auth";
import { type ApiKey, enterTenant, memberships, type Role, type Tenant, tenants, type Tx, withScope } from "@switchboard/db";
import type { Context } from "./context";
import { DomainError } from "./errors";
import { consumeRequestBudget } from "./lib/request-budget";
import { findPresentedKey, touchApiKey } from "./routers/api-keys/api-keys.service";
import { type Actor, recordAudit } from "./routers/audit/audit.service";

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

/** What a tenant procedure may write to the audit trail beyond what the middleware derives. */
export interface AuditNote {
  /** The changed entity's id when neither the result nor the input carries it as `id`/`userId`. */
  resourceId?: string | null;
}

interface Admitted {
  tenant: Tenant;
  key: ApiKey | null;
}

const unauthorized = (message: string) => new TRPCError({ code: "UNAUTHORIZED", message });

/**
 * Who is calling and for which tenant, in its own short transaction committed before the procedure runs:
 * authenticates an API key (read by its hash alone, before the tenant is known), resolves the tenant, and
 * draws one request from the tenant's budget (shared by all replicas). Callers without access to the tenant
 * draw nothing, so outsiders cannot spend a tenant's budget.
 */
async function admit(ctx: Context): Promise<Admitted> {
  if (ctx.apiKey) {
    const keyHash = hashToken(ctx.apiKey);
    return withScope(ctx.db, { apiKeyHash: keyHash }, async (tx) => {
      const key = await findPresentedKey(tx, keyHash);
      if (!key) throw unauthorized("Invalid, expired or revoked API key");
      await enterTenant(tx, { id: key.tenantId, parentId: null });
      const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, key.tenantId));
      if (!tenant) throw unauthorized("Invalid, expired or revoked API key");
      // A key reaches its own tenant only: not its departments, not whatever the Host or x-tenant names.
      if (ctx.tenantSlug && ctx.tenantSlug !== tenant.slug) {
        throw new TRPCError({ code: "FORBIDDEN", message: "This API key belongs to another tenant" });
      }
      await touchApiKey(tx, key);
      if (!(await consumeRequestBudget(tx, tenant))) throw tooManyRequests();
      return { tenant, key };
    });
  }
  const user = ctx.user;
  if (!user || !ctx.sessionId) throw unauthorized("Sign in first");
  const slug = ctx.tenantSlug;
  if (!slug) throw new TRPCError({ code: "BAD_REQUEST", message: "No tenant for this host: use a tenant subdomain or the x-tenant header" });
  return withScope(ctx.db, { tenantSlug: slug, userId: user.id }, async (tx) => {
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.slug, slug));
    if (!tenant) throw new TRPCError({ code: "NOT_FOUND", message: `Tenant "${slug}" not found` });
    await enterTenant(tx, tenant);
    if ((user.isPlatformAdmin || (await roleIn(tx, tenant, user.id))) && !(await consumeRequestBudget(tx, tenant))) {
      throw tooManyRequests();
    }
    return { tenant, key: null };
  });
}

const tooManyRequests = () =>
  new TRPCError({ code: "TOO_MANY_REQUESTS", message: "This tenant's request budget for this minute is spent" });

/** Refusals that leave a `denied` entry in the audit trail. */
const auditedRefusals = new Set(["FORBIDDEN", "PRECONDITION_FAILED", "NOT_FOUND"]);

function refusalCode(err: unknown): string | null {
  const code = err instanceof TRPCError ? (err.cause instanceof DomainError ? err.cause.kind : err.code) : null;
  return code && auditedRefusals.has(code) ? code : null;
}

/** The changed entity's id: the procedure's note, else `id`/`userId` of the result, else of the input. */
function resourceIdOf(note: AuditNote, data: unknown, input: unknown): string | null {
  if (note.resourceId !== undefined) return note.resourceId;
  for (const source of [data, input]) {
    if (!source || typeof source !== "object") continue;
    for (const field of ["id", "userId"]) {
      const v = (source as Record<string, unknown>)[field];
      if (typeof v === "string" && v.length <= 200) return v;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// 3. base procedures
// ---------------------------------------------------------------------------------------------------------

export const publicProcedure = t.procedure.use(mapDomainErrors);

/** A signed-in user (session cookie). */
export const authedProcedure = publicProcedure.use(requireSession);

/**
 * Caller (session user or API key) acting inside the request's tenant. After admission (above), one
 * transaction per call: narrow the RLS scope to the tenant, check the caller's role, run the procedure, and for
 * a mutation append its audit entry before commit. `next()` does not throw: rethrow so the transaction rolls
 * back. A refused mutation (FORBIDDEN, PRECONDITION_FAILED, NOT_FOUND) is audited as `denied` in a separate
 * transaction after the rollback. Every procedure built on this (any domain) is audited this way, with
 * `.meta({ audit: { resourceType } })` naming the entity.
 */
export const tenantProcedure = publicProcedure.use(async function withTenantScope(opts) {
  const { ctx, next, path, type, meta, getRawInput } = opts;
  const { tenant: admitted, key } = await admit(ctx);
  const user: AuthUser | null = key ? null : ctx.user;
  const actor: Actor = key
    ? { type: "apiKey", id: key.id, label: key.name }
    : { type: "user", id: user!.id, label: user!.email };
  const scope = { tenantId: admitted.id, parentTenantId: admitted.parentId, userId: user?.id ?? null };
  const note: AuditNote = {};
  const audit = (result: "success" | "denied", data: unknown, input: unknown, reason: string | null = null) => ({
    tenantId: admitted.id,
    actor,
    action: path,
    resourceType: meta?.audit?.resourceType ?? path.split(".")[0]!,
    resourceId: resourceIdOf(note, data, input),
    ip: ctx.request.ip,
    userAgent: ctx.request.userAgent,
    result,
    reason,
  });
  try {
    return await withScope(ctx.db, scope, async (tx) => {
      const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, admitted.id));
      if (!tenant) throw new TRPCError({ code: "NOT_FOUND", message: "Tenant not found" });
      const role = key ? key.role : await roleIn(tx, tenant, user!.id);
      const platformAdmin = !key && user!.isPlatformAdmin;
      if (!role && !platformAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this tenant" });
      // A department of an archived or suspended organisation is closed with it.
      const [parent] = tenant.parentId ? await tx.select().from(tenants).where(eq(tenants.id, tenant.parentId)) : [];
      const status = parent && parent.status !== "active" ? parent.status : tenant.status;
      if (status !== "active" && !platformAdmin) throw new TRPCError({ code: "FORBIDDEN", message: `This tenant is ${status}` });
      const result = await next({
        ctx: { tx, tenant, role: role ?? ("owner" as Role), actor, user, apiKeyId: key?.id ?? null, audit: note },
      });
      if (!result.ok) throw result.error;
      if (type === "mutation") await recordAudit(tx, audit("success", result.data, await getRawInput()));
      return result;
    });
  } catch (err) {
    const code = type === "mutation" ? refusalCode(err) : null;
    if (code) {
      const input = await getRawInput().catch(() => null);
      await withScope(ctx.db, scope, (tx) => recordAudit(tx, audit("denied", null, input, code)));
    }
    throw err;
  }
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
