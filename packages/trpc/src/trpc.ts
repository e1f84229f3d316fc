/**
 * tRPC plumbing: initialisation, error shape, and the base procedures every router builds on.
 * Edit here when a new kind of caller or a new cross-cutting rule appears; domain routers never do.
 *
 * Sections: 1. init and error formatting · 2. middlewares (sessions, roles, tenant admission, audit) · 3. base procedures.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { and, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { type AuthUser, hashToken } from "@switchboard/auth";
import {
  type ApiKey,
  apiKeys,
  setScope,
  tenantScope,
  memberships,
  reusableQuery,
  type Role,
  type Scope,
  type Tenant,
  type TenantSettings,
  tenants,
  type Tx,
  withScope,
} from "@switchboard/db";
import type { Context } from "./context";
import { DomainError, tooManyRequests as retryLater } from "./errors";
import { findUnsafeText, UnsafeTextError } from "./lib/unsafe-text";
import { addLease, claimRequestBudget, type Lease, takeLeased } from "./lib/request-budget";
import { hasPlatformPowers } from "./lib/platform-powers";
import { findPresentedKey, touchApiKey, usableKey } from "./routers/api-keys/api-keys.service";
import { type Actor, recordAudit, recordOutsiderDenial } from "./routers/audit/audit.service";
import { tenantRequiresMfa } from "./routers/tenant/tenant.service";

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

/**
 * Maps DomainError thrown by services to its tRPC code. The DomainError stays the cause, so the HTTP layer can read
 * what it carries (`retryAfterSeconds` → `Retry-After`).
 */
const mapDomainErrors = t.middleware(async function mapDomainErrors({ next }) {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    throw new TRPCError({ code: result.error.cause.kind, message: result.error.cause.message, cause: result.error.cause });
  }
  return result;
});

/**
 * The input layer's one text rule (lib/unsafe-text.ts): a U+0000 or a lone surrogate anywhere in the raw input
 * (any string, any key, at any depth) is BAD_REQUEST naming its path, before the schema, the handler or the database
 * see it. Raw input is the JSON body or the `?input=` of a GET, per call of a batch.
 */
const rejectUnsafeText = t.middleware(async function rejectUnsafeText({ getRawInput, next }) {
  const issue = findUnsafeText(await getRawInput());
  if (issue) throw new TRPCError({ code: "BAD_REQUEST", message: issue.message, cause: new UnsafeTextError(issue) });
  return next();
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

const unauthorized = (message: string) => new TRPCError({ code: "UNAUTHORIZED", message });

/** The caller as presented: an API key (by its hash) or a signed-in user on a tenant's host. */
type Presented = { kind: "apiKey"; keyHash: string } | { kind: "user"; user: AuthUser; slug: string };

function presented(ctx: Context): Presented {
  if (ctx.apiKey) return { kind: "apiKey", keyHash: hashToken(ctx.apiKey) };
  const user = ctx.user;
  if (!user || !ctx.sessionId) throw unauthorized("Sign in first");
  const slug = ctx.tenantSlug;
  if (!slug) throw new TRPCError({ code: "BAD_REQUEST", message: "No tenant for this host: use a tenant subdomain or the x-tenant header" });
  return { kind: "user", user, slug };
}

interface Admitted {
  tenant: Tenant;
  key: ApiKey | null;
  /** The caller's role; null for a platform admin without a membership. */
  role: Role | null;
}

/**
 * Slug → (tenant id, parent id), and API-key hash → (its tenant id, parent id), as this process has resolved them,
 * per database handle, so a transaction can be scoped to the tenant from its first statement and admit the caller
 * in ONE query (`admitKnownTenant`, `admitKnownKey`). Only a guess: those queries check what they find and fall
 * back to resolving by slug or key hash when it differs, so a renamed or moved tenant is never entered under a
 * stale name and a key only ever reaches its own tenant.
 */
type KnownTenant = { id: string; parentId: string | null };
const knownTenants = new WeakMap<object, Map<string, KnownTenant & { until: number }>>();
const knownTenantMs = 60_000;
const maxKnownTenants = 10_000;

/** `name` is `slug:<slug>` or `key:<hash>`. */
function knownTenant(ctx: Context, name: string): KnownTenant | undefined {
  const map = knownTenants.get(ctx.db);
  const hit = map?.get(name);
  if (!hit) return undefined;
  if (Date.now() < hit.until) return hit;
  map!.delete(name);
  return undefined;
}

function rememberTenant(ctx: Context, name: string, tenant: KnownTenant) {
  let map = knownTenants.get(ctx.db);
  if (!map) knownTenants.set(ctx.db, (map = new Map()));
  map.delete(name);
  if (map.size >= maxKnownTenants) map.delete(map.keys().next().value!);
  map.set(name, { id: tenant.id, parentId: tenant.parentId, until: Date.now() + knownTenantMs });
}

function forgetTenant(ctx: Context, name: string) {
  knownTenants.get(ctx.db)?.delete(name);
}

const knownName = (caller: Presented) => (caller.kind === "apiKey" ? `key:${caller.keyHash}` : `slug:${caller.slug}`);

const parentTenants = alias(tenants, "parent");

/**
 * Admission of a signed-in user when the slug's tenant is known (the transaction is already scoped to it): the
 * tenant row, its parent's status and the caller's memberships there and in the parent, in one query. Null when
 * the row found is not the slug's tenant under the same parent any more (the caller falls back to the slug).
 */
async function admitKnownTenant(
  tx: Tx,
  known: { id: string; parentId: string | null },
  slug: string,
  userId: string,
): Promise<{ tenant: Tenant; parentStatus: Tenant["status"] | null; parentSettings: TenantSettings | null; role: Role | null } | null> {
  const [row] = await admissionQuery(tx, { tenantId: known.id, userId });
  if (!row || row.tenant.slug !== slug || row.tenant.parentId !== known.parentId) return null;
  const role = (row.roles ? (row.roles.split(",") as Role[]) : []).reduce<Role | null>(
    (best, r) => (!best || roleRank[r] > roleRank[best] ? r : best),
    null,
  );
  return { tenant: row.tenant, parentStatus: row.parentStatus, parentSettings: row.parentSettings, role };
}

/** admitKnownTenant's query: runs on nearly every request, so it is built once per process. */
const admissionQuery = reusableQuery("admission", (db, name) =>
  db
    .select({
      tenant: tenants,
      parentStatus: parentTenants.status,
      parentSettings: parentTenants.settings,
      roles: sql<string | null>`(select string_agg(m.role::text, ',') from ${memberships} m
        where m.user_id = ${sql.placeholder("userId")} and m.tenant_id in (${tenants.id}, ${tenants.parentId}))`,
    })
    .from(tenants)
    .leftJoin(parentTenants, eq(parentTenants.id, tenants.parentId))
    .where(eq(tenants.id, sql.placeholder("tenantId")))
    .prepare(name),
);

/**
 * Admission of an API key whose tenant is known (the transaction is already scoped to it): the key by its hash,
 * its tenant and the parent's status, in one query. Null when the key is not that tenant's (any more).
 */
async function admitKnownKey(
  tx: Tx,
  known: KnownTenant,
  keyHash: string,
): Promise<{ key: ApiKey; tenant: Tenant; parentStatus: Tenant["status"] | null } | null> {
  const rows = await keyAdmissionQuery(tx, { tenantId: known.id, keyHash });
  const row = rows.length === 1 ? rows[0]! : null;
  if (!row || row.tenant.parentId !== known.parentId) return null;
  return row;
}

const keyAdmissionQuery = reusableQuery("key-admission", (db, name) =>
  db
    .select({ key: apiKeys, tenant: tenants, parentStatus: parentTenants.status })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .leftJoin(parentTenants, eq(parentTenants.id, tenants.parentId))
    .where(and(eq(apiKeys.keyHash, sql.placeholder("keyHash")), eq(apiKeys.tenantId, sql.placeholder("tenantId"))))
    .limit(2)
    .prepare(name),
);

/** The first scope of a tenant procedure's transaction. */
function firstScope(ctx: Context, caller: Presented): Scope {
  const known = knownTenant(ctx, knownName(caller));
  const userId = caller.kind === "user" ? caller.user.id : null;
  if (known) return { tenantId: known.id, parentTenantId: known.parentId, userId };
  return caller.kind === "apiKey" ? { apiKeyHash: caller.keyHash } : { tenantSlug: caller.slug, userId };
}

/**
 * Who is calling and for which tenant, as the first statements of the procedure's transaction: authenticates an
 * API key (read by its hash alone, before the tenant is known) or resolves the tenant by slug, then narrows the
 * scope to that tenant and reads the caller's role there (both sent together). Refuses outsiders and closed
 * tenants (`seen` holds the tenant and key as soon as they are known, for the audit of a refusal). The request
 * budget is drawn later (see tenantProcedure), so callers without access draw nothing.
 */
async function admit(tx: Tx, ctx: Context, caller: Presented, first: Scope, seen: Partial<Admitted>): Promise<Admitted> {
  let tenant: Tenant | undefined;
  let key: ApiKey | null = null;
  let role: Role | null;
  /** The parent's status when already read (null: no parent); undefined: not read yet. */
  let parentStatus: Tenant["status"] | null | undefined;
  /** The parent's settings (for `security.requireMfa`), read with its status. */
  let parentSettings: TenantSettings | null | undefined;
  const known = first.tenantId ? { id: first.tenantId, parentId: first.parentTenantId ?? null } : null;
  /** The guessed tenant was not the caller's (any more): forget it and resolve from `scope` in this transaction. */
  const unguess = (scope: Scope) => {
    forgetTenant(ctx, knownName(caller));
    return setScope(tx, { tenantId: null, parentTenantId: null, ...scope });
  };
  if (caller.kind === "apiKey") {
    // Scoped to the key's tenant already when this process has seen the key (see firstScope): one query admits.
    const fast = known ? await admitKnownKey(tx, known, caller.keyHash) : null;
    if (fast) {
      ({ key, tenant, parentStatus } = fast);
      if (!usableKey(key)) throw unauthorized("Invalid, expired or revoked API key");
    } else {
      if (known) await unguess({ apiKeyHash: caller.keyHash });
      key = (await findPresentedKey(tx, caller.keyHash)) ?? null;
      if (!key) throw unauthorized("Invalid, expired or revoked API key");
      const [, [row]] = await Promise.all([
        setScope(tx, tenantScope({ id: key.tenantId, parentId: null })),
        tx.select().from(tenants).where(eq(tenants.id, key.tenantId)),
      ]);
      tenant = row;
      if (!tenant) throw unauthorized("Invalid, expired or revoked API key");
      if (tenant.parentId) await setScope(tx, tenantScope(tenant));
      rememberTenant(ctx, knownName(caller), tenant);
    }
    // A key reaches its own tenant only: not its departments, not whatever the Host or x-tenant names.
    if (ctx.tenantSlug && ctx.tenantSlug !== tenant.slug) {
      throw new TRPCError({ code: "FORBIDDEN", message: "This API key belongs to another tenant" });
    }
    Object.assign(seen, { tenant, key });
    await touchApiKey(tx, key);
    role = key.role;
  } else {
    // Scoped to the tenant already when the slug was known (see firstScope): one query admits.
    const fast = known ? await admitKnownTenant(tx, known, caller.slug, caller.user.id) : null;
    if (fast) {
      tenant = fast.tenant;
      role = fast.role;
      parentStatus = fast.parentStatus;
      parentSettings = fast.parentSettings;
      Object.assign(seen, { tenant, key });
    } else {
      if (known) await unguess({ tenantSlug: caller.slug, userId: caller.user.id });
      [tenant] = await tx.select().from(tenants).where(eq(tenants.slug, caller.slug));
      if (!tenant) throw new TRPCError({ code: "NOT_FOUND", message: `Tenant "${caller.slug}" not found` });
      Object.assign(seen, { tenant, key });
      [, role] = await Promise.all([setScope(tx, tenantScope(tenant)), roleIn(tx, tenant, caller.user.id)]);
      rememberTenant(ctx, knownName(caller), tenant);
    }
  }
  const platformAdmin = caller.kind === "user" && hasPlatformPowers(caller.user);
  if (!role && !platformAdmin) throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of this tenant" });
  // A department of an archived or suspended organisation is closed with it.
  if (parentStatus === undefined) {
    const [parent] = tenant.parentId ? await tx.select().from(tenants).where(eq(tenants.id, tenant.parentId)) : [];
    parentStatus = parent?.status ?? null;
    parentSettings = parent?.settings ?? null;
  }
  const status = parentStatus && parentStatus !== "active" ? parentStatus : tenant.status;
  if (status !== "active" && !platformAdmin) throw new TRPCError({ code: "FORBIDDEN", message: `This tenant is ${status}` });
  // security.requireMfa (the tenant's or its organisation's): people without MFA are refused; API keys are no people.
  if (caller.kind === "user" && !caller.user.mfaEnabled && tenantRequiresMfa(tenant, parentSettings ? { settings: parentSettings } : null)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "This tenant requires two-factor authentication" });
  }
  return { tenant, key, role };
}

/**
 * Tenants whose budget this process saw spent, until their window ends: further requests are refused before
 * the procedure runs (the budget is drawn after it, see tenantProcedure). Per database handle.
 */
const spentBudgets = new WeakMap<object, Map<string, number>>();
const minuteMs = 60_000;

function budgetSpent(ctx: Context, tenantId: string): boolean {
  const until = spentBudgets.get(ctx.db)?.get(tenantId);
  if (until === undefined) return false;
  if (Date.now() < until) return true;
  spentBudgets.get(ctx.db)!.delete(tenantId);
  return false;
}

function markBudgetSpent(ctx: Context, tenantId: string) {
  let map = spentBudgets.get(ctx.db);
  if (!map) spentBudgets.set(ctx.db, (map = new Map()));
  map.set(tenantId, (Math.floor(Date.now() / minuteMs) + 1) * minuteMs);
}

/** The budget refills when the minute ends: the refusal carries the seconds until then (`Retry-After`). */
const tooManyRequests = () => {
  const message = "This tenant's request budget for this minute is spent";
  const secondsLeft = ((Math.floor(Date.now() / minuteMs) + 1) * minuteMs - Date.now()) / 1000;
  return new TRPCError({ code: "TOO_MANY_REQUESTS", message, cause: retryLater(message, secondsLeft) });
};

/** Refusals that leave a `denied` entry in the audit trail. */
const auditedRefusals = new Set(["FORBIDDEN", "PRECONDITION_FAILED", "NOT_FOUND"]);

function refusalCode(err: unknown): string | null {
  const code = err instanceof TRPCError ? (err.cause instanceof DomainError ? err.cause.kind : err.code) : null;
  return code && auditedRefusals.has(code) ? code : null;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The changed entity's id: the procedure's note, else `id`/`userId` of the result, else of the input. The input is
 * the raw, unvalidated one (a refusal may come before validation): an id from it is kept only when it is a UUID, so
 * a caller cannot write text of their choosing into the log.
 */
function resourceIdOf(note: AuditNote, data: unknown, input: unknown): string | null {
  if (note.resourceId !== undefined) return note.resourceId;
  for (const [source, trusted] of [[data, true], [input, false]] as const) {
    if (!source || typeof source !== "object") continue;
    for (const field of ["id", "userId"]) {
      const v = (source as Record<string, unknown>)[field];
      if (typeof v === "string" && (trusted ? v.length <= 200 : uuidPattern.test(v))) return v;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------
// 3. base procedures
// ---------------------------------------------------------------------------------------------------------

export const publicProcedure = t.procedure.use(mapDomainErrors).use(rejectUnsafeText);

/** A signed-in user (session cookie). */
export const authedProcedure = publicProcedure.use(requireSession);

/**
 * Caller (session user or API key) acting inside the request's tenant, in ONE transaction: admission (above: key
 * or tenant, scope narrowed to the tenant, role, status), the procedure, for a mutation its audit entry, and last
 * the tenant's request budget (shared by all replicas), then commit. The budget is drawn from this process's
 * in-memory lease (see lib/request-budget); only when that is used up does the transaction claim the next chunk
 * from the shared counter (row locked from that claim to the commit only, so a tenant's requests never queue
 * behind each other's procedures; the lease is taken into use after the commit). A request over budget rolls back
 * (procedure included) and is TOO_MANY_REQUESTS, and this process then refuses the tenant's requests before
 * running them until the minute ends. A request that fails after admission still draws
 * from the budget (in a short transaction of its own), so failing requests are not free. Subscriptions draw
 * before opening their stream. `next()` does not throw: rethrow so the transaction rolls back. A refused mutation
 * (FORBIDDEN, PRECONDITION_FAILED, NOT_FOUND) is audited as `denied` in a separate transaction after the
 * rollback. Every procedure built on this (any domain) is audited this way, with `.meta({ audit: { resourceType } })`
 * naming the entity.
 */
export const tenantProcedure = publicProcedure.use(async function withTenantScope(opts) {
  const { ctx, next, path, type, meta, getRawInput } = opts;
  const caller = presented(ctx);
  const user: AuthUser | null = caller.kind === "user" ? caller.user : null;
  const first = firstScope(ctx, caller);
  const note: AuditNote = {};
  let admitted: Admitted | null = null;
  const seen: Partial<Admitted> = {};
  let charged = false;
  const actorOf = (key: ApiKey | null): Actor =>
    key ? { type: "apiKey", id: key.id, label: key.name } : { type: "user", id: user!.id, label: user!.email };
  const audit = (a: Pick<Admitted, "tenant" | "key">, result: "success" | "denied", data: unknown, input: unknown, reason: string | null = null) => ({
    tenantId: a.tenant.id,
    actor: actorOf(a.key),
    action: path,
    resourceType: meta?.audit?.resourceType ?? path.split(".")[0]!,
    resourceId: resourceIdOf(note, data, input),
    ip: ctx.request.ip,
    userAgent: ctx.request.userAgent,
    result,
    reason,
  });
  /** A lease claimed in the procedure's transaction: taken into use only once that transaction has committed. */
  let claimed: { tenantId: string; lease: Lease } | null = null;
  const charge = async (tx: Tx, tenant: Tenant) => {
    charged = true;
    if (takeLeased(ctx.db, tenant.id)) return;
    const lease = await claimRequestBudget(tx, tenant);
    if (!lease) {
      markBudgetSpent(ctx, tenant.id);
      throw tooManyRequests();
    }
    claimed = { tenantId: tenant.id, lease };
  };
  const scopeOf = (a: Pick<Admitted, "tenant">) => ({ tenantId: a.tenant.id, parentTenantId: a.tenant.parentId, userId: user?.id ?? null });
  try {
    const done = await withScope(ctx.db, first, async (tx) => {
      const a = (admitted = await admit(tx, ctx, caller, first, seen));
      const { tenant, key, role } = a;
      if (budgetSpent(ctx, tenant.id)) {
        charged = true; // refused without drawing, as an over-budget request always was
        throw tooManyRequests();
      }
      if (type === "subscription") await charge(tx, tenant);
      const result = await next({
        ctx: { tx, tenant, role: role ?? ("owner" as Role), actor: actorOf(key), user, apiKeyId: key?.id ?? null, audit: note },
      });
      if (!result.ok) throw result.error;
      if (type === "mutation") await recordAudit(tx, audit(a, "success", result.data, await getRawInput()));
      if (!charged) await charge(tx, tenant);
      return result;
    });
    const c = claimed as { tenantId: string; lease: Lease } | null;
    if (c) addLease(ctx.db, c.tenantId, c.lease);
    return done;
  } catch (err) {
    const a = admitted as Admitted | null;
    if (a && !charged && !takeLeased(ctx.db, a.tenant.id)) {
      // Admitted but failed before drawing: draw from the lease, else claim in a short transaction of its own.
      await withScope(ctx.db, scopeOf(a), (tx) => claimRequestBudget(tx, a.tenant)).then(
        (lease) => (lease ? addLease(ctx.db, a.tenant.id, lease) : markBudgetSpent(ctx, a.tenant.id)),
        () => undefined,
      );
    }
    // Refusals are audited once the tenant is known (an outsider's FORBIDDEN too), as before admission merged.
    const known = seen.tenant ? { tenant: seen.tenant, key: seen.key ?? null } : null;
    const code = known && type === "mutation" ? refusalCode(err) : null;
    if (known && code) {
      const input = await getRawInput().catch(() => null);
      await withScope(ctx.db, scopeOf(known), async (tx) => {
        const entry = audit(known, "denied", null, input, code);
        // A signed-in user refused at admission may be an outsider: their entries are capped per tenant and minute
        // (what is dropped is counted in the API's /metrics). Members' and keys' refusals are always recorded.
        const outsider = !a && !known.key && user !== null && !(await roleIn(tx, known.tenant, user.id));
        if (!outsider) await recordAudit(tx, entry);
        else if (!(await recordOutsiderDenial(tx, entry))) ctx.onAuditDenialDropped?.();
      });
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

/**
 * The rule "an API key works data, never access" (contract, "Who is calling"): procedures that manage who may do
 * what (members, invitations, keys, settings, the tenant itself, new tenants) refuse a key with FORBIDDEN, so a
 * leaked key cannot mint keys or let people in. Procedures opt in by being built on the access procedures below.
 */
const peopleOnly = t.middleware(function peopleOnly({ ctx, next }) {
  if (ctx.apiKey) throw new TRPCError({ code: "FORBIDDEN", message: "API keys cannot manage access: sign in as a person" });
  if (!ctx.user) throw unauthorized("Sign in first");
  return next({ ctx: { user: ctx.user } });
});

/** Writes domain data: owner, admin, agent. */
export const tenantAgentProcedure = tenantProcedure.use(requireRole("agent"));
/** Manages members, keys, settings, AI agents: owner, admin. */
export const tenantAdminProcedure = tenantProcedure.use(requireRole("admin"));
/** Archives the tenant, changes owners. */
export const tenantOwnerProcedure = tenantProcedure.use(requireRole("owner"));
/** Manages access inside the tenant (members, invitations, API keys, settings): owner, admin; people only. */
export const tenantAccessProcedure = tenantAdminProcedure.use(peopleOnly);
/** Acts on the caller's own access in the tenant (leave): any role; people only. */
export const tenantPersonProcedure = tenantProcedure.use(peopleOnly);
/** Archives the tenant, changes owners; people only (a key never holds the owner role, and never will act as one). */
export const tenantOwnerAccessProcedure = tenantOwnerProcedure.use(peopleOnly);
/** Manages access outside any tenant (tenants.create): a signed-in person; an API key is FORBIDDEN, not UNAUTHORIZED. */
export const accessProcedure = publicProcedure.use(peopleOnly).use(requireSession);
