import { and, eq, gt, ilike, or, sql } from "drizzle-orm";
import type { AuthUser } from "@switchboard/auth";
import {
  agents,
  type DbHandle,
  setScope,
  tenantScope,
  type Features,
  requestBudgets,
  type Tenant,
  tenants,
  tierDefaults,
  type Tx,
  withScope,
} from "@switchboard/db";
import { afterCursor, orderOf, toPage } from "../../lib/cursor";
import { badRequest, notFound } from "../../errors";
import { tenantListItem, tenantOrder } from "../tenant/tenant.service";
import { recordPlatformAction } from "./platform-audit.service";
import { estimateStorage, tableSizes, tenantRowCounts } from "./storage-estimate";

/**
 * Platform admins act across tenants. Reading them uses the policy "platform admins see every tenant" (scope: the
 * admin as user); anything inside one tenant (its agents, its request windows, changing its row, its audit log)
 * is done inside that tenant's scope, entered for the purpose and left again.
 */

/** LIKE pattern matching `q` literally anywhere. */
const containing = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface Usage {
  members: number;
  agents: number;
  /** Requests drawn from the tenant's budget in the last hour (counted as the replicas lease them). */
  requestsLastHour: number;
  /** Estimated bytes of the tenant's data (storage-estimate.ts says how). */
  storageBytes: number;
}

/** The tenant's usage, except storage (its row counts are returned for the page's estimate). In the tenant's scope. */
async function countsOf(tx: Tx, db: DbHandle, tenant: Tenant) {
  await setScope(tx, tenantScope(tenant));
  const [[a], [r], rows] = await Promise.all([
    tx.select({ n: sql<number>`count(*)::int` }).from(agents).where(eq(agents.tenantId, tenant.id)),
    tx
      .select({ n: sql<number>`coalesce(sum(${requestBudgets.count}), 0)::int` })
      .from(requestBudgets)
      .where(and(eq(requestBudgets.tenantId, tenant.id), gt(requestBudgets.windowStart, sql`now() - interval '1 hour'`))),
    tenantRowCounts(tx, db, tenant.id),
  ]);
  return { members: tenant.memberCount, agents: a!.n, requestsLastHour: r!.n, rows };
}

/**
 * Usage of each tenant of a page: each counted in its own scope, one after the other in one transaction; the
 * catalog's table sizes read once for the page.
 */
async function usageOfPage(tx: Tx, db: DbHandle, page: readonly Tenant[]): Promise<Usage[]> {
  const counted = [];
  for (const t of page) counted.push(await countsOf(tx, db, t));
  const catalog = await tableSizes(tx);
  const all = counted.map((c) => c.rows);
  return counted.map(({ rows, ...c }) => ({ ...c, storageBytes: estimateStorage(catalog, rows, all) }));
}

/** One tenant's usage. */
export async function usageOf(tx: Tx, db: DbHandle, tenant: Tenant): Promise<Usage> {
  return (await usageOfPage(tx, db, [tenant]))[0]!;
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/** A tenant as the platform console shows it: plan, lifecycle dates and usage. */
export function platformTenantView(t: Tenant, usage: Usage) {
  return {
    ...tenantListItem(t),
    planFeatures: t.planFeatures,
    /** The effective budget: the platform's figure, else the tier's. */
    requestsPerMinute: t.requestsPerMinute ?? tierDefaults[t.tier].requestsPerMinute,
    /** The platform's own figure; null: the tier's (what a plan form sends back to keep following the tier). */
    planRequestsPerMinute: t.requestsPerMinute,
    suspendedReason: t.suspendedReason,
    suspendedAt: iso(t.suspendedAt),
    archivedAt: iso(t.archivedAt),
    purgeAfter: iso(t.purgeAfter),
    usage,
  };
}

export interface ListPlatformTenantsInput {
  q?: string | undefined;
  status?: Tenant["status"] | undefined;
  tier?: Tenant["tier"] | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Every tenant (organisations and departments), by slug, with its usage. */
export function listPlatformTenants(db: DbHandle, admin: AuthUser, input: ListPlatformTenantsInput) {
  return withScope(db, { userId: admin.id }, async (tx) => {
    const rows = await tx
      .select()
      .from(tenants)
      .where(
        and(
          input.q ? or(ilike(tenants.slug, containing(input.q)), ilike(tenants.name, containing(input.q))) : undefined,
          input.status ? eq(tenants.status, input.status) : undefined,
          input.tier ? eq(tenants.tier, input.tier) : undefined,
          afterCursor(input.cursor, tenantOrder),
        ),
      )
      .orderBy(...orderOf(tenantOrder))
      .limit(input.limit + 1);
    const { items, nextCursor } = toPage(rows, input.limit, tenantOrder, (t) => t);
    const usage = await usageOfPage(tx, db, items);
    return { items: items.map((t, i) => platformTenantView(t, usage[i]!)), nextCursor };
  });
}

export interface SetPlanInput {
  tenantId: string;
  tier: Tenant["tier"];
  maxUsers?: number | undefined;
  features?: Partial<Features> | undefined;
  requestsPerMinute?: number | null | undefined;
}

const planOf = (t: Tenant) => ({ tier: t.tier, maxUsers: t.maxUsers, features: t.planFeatures, requestsPerMinute: t.requestsPerMinute });

/**
 * Sets a tenant's whole plan: tier, seats (default: the tier's), the features granted beyond (or below) the tier,
 * the request budget (default: the tier's). An organisation's departments follow its tier; a department cannot
 * be on another tier than its organisation. Audited in the tenant's log and in the platform's.
 */
export async function setPlan(
  db: DbHandle,
  admin: AuthUser,
  input: SetPlanInput,
  request: { ip: string | null; userAgent: string | null },
) {
  return withScope(db, { userId: admin.id }, async (tx) => {
    const [before] = await tx.select().from(tenants).where(eq(tenants.id, input.tenantId));
    if (!before) throw notFound("Tenant");
    if (before.parentId) {
      const [org] = await tx.select({ tier: tenants.tier }).from(tenants).where(eq(tenants.id, before.parentId));
      if (org && org.tier !== input.tier) {
        throw badRequest(`A department is on its organisation's tier (${org.tier}): change the organisation's plan`);
      }
    } else {
      const departments = await tx
        .select({ id: tenants.id, tier: tenants.tier })
        .from(tenants)
        .where(eq(tenants.parentId, before.id));
      for (const dept of departments.filter((d) => d.tier !== input.tier)) {
        await setScope(tx, tenantScope({ id: dept.id, parentId: before.id }));
        await tx.update(tenants).set({ tier: input.tier, updatedAt: new Date() }).where(eq(tenants.id, dept.id));
      }
    }
    await setScope(tx, tenantScope(before));
    const [after] = await tx
      .update(tenants)
      .set({
        tier: input.tier,
        maxUsers: input.maxUsers ?? tierDefaults[input.tier].maxUsers,
        planFeatures: input.features ?? {},
        requestsPerMinute: input.requestsPerMinute ?? null,
        updatedAt: new Date(),
      })
      .where(eq(tenants.id, before.id))
      .returning();
    await recordPlatformAction(tx, admin, request, before, "platform.tenants.setPlan", { before: planOf(before), after: planOf(after!) });
    return platformTenantView(after!, await usageOf(tx, db, after!));
  });
}

/** One tenant (platform.tenants.get): NOT_FOUND when there is none (purged, or never was). */
export function getPlatformTenant(db: DbHandle, admin: AuthUser, tenantId: string) {
  return withScope(db, { userId: admin.id }, async (tx) => {
    const [t] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
    if (!t) throw notFound("Tenant");
    return platformTenantView(t, await usageOf(tx, db, t));
  });
}
