/**
 * Round-robin routing of new conversations (contract v2, conversations): called by engagements.create/ingest in
 * the creation's transaction, so a rolled-back creation assigns nothing and a committed one is assigned at once.
 * The candidates are the tenant's own members with role agent or above whose availability is `online`; the one
 * with the fewest open (not resolved) engagements below `maxOpenPerAgent` gets it, ties going to the one who has
 * waited longest since their last assignment (never assigned first). Department conversations go to the
 * department's members: an organisation's members act in its departments but are not routed there.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { availability, engagements, memberships, type Tenant, type Tx } from "@switchboard/db";
import { lockTenant } from "../../lib/locks";

/** Roles that take conversations. */
export const routedRoles = ["owner", "admin", "agent"] as const;

/**
 * Open (not resolved) engagements assigned to the user in `userId`'s row, as a correlated subquery. `resolved_at is
 * null` (null exactly while not resolved) is what an index can serve under RLS: the enum comparison on `status` is not
 * leakproof, so PostgreSQL never uses it as an index condition below the tenant policy, and counting by status alone
 * reads every engagement the person ever had. The status test stays as the definition.
 */
export function openEngagementsOf(tenantId: typeof memberships.tenantId, userId: typeof memberships.userId) {
  return sql<number>`(select count(*)::int from ${engagements} e
    where e.tenant_id = ${tenantId} and e.assigned_user_id = ${userId} and e.resolved_at is null and e.status <> 'resolved')`;
}

/**
 * Assigns the engagement per the tenant's routing and returns the assignee's id; null when routing is manual
 * (or unset), nobody is online, or everyone online is at the cap. The per-tenant lock makes count-then-assign
 * atomic across concurrent creations (READ COMMITTED: the count after the lock sees every earlier assignment).
 */
export async function routeNewEngagement(tx: Tx, tenant: Pick<Tenant, "id" | "routing">, engagementId: string): Promise<string | null> {
  const routing = tenant.routing;
  if (!routing || routing.mode !== "round_robin") return null;
  await lockTenant(tx, "routing", tenant.id);
  const open = openEngagementsOf(memberships.tenantId, memberships.userId);
  const [next] = await tx
    .select({ userId: memberships.userId, open })
    .from(memberships)
    .innerJoin(availability, and(eq(availability.tenantId, memberships.tenantId), eq(availability.userId, memberships.userId)))
    .where(
      and(
        eq(memberships.tenantId, tenant.id),
        inArray(memberships.role, [...routedRoles]),
        eq(availability.status, "online"),
        sql`${open} < ${routing.maxOpenPerAgent}`,
      ),
    )
    .orderBy(asc(open), sql`${availability.lastAssignedAt} asc nulls first`, asc(memberships.userId))
    .limit(1);
  if (!next) return null;
  await tx
    .update(engagements)
    .set({ assignedUserId: next.userId, updatedAt: sql`now()` })
    .where(and(eq(engagements.tenantId, tenant.id), eq(engagements.id, engagementId)));
  await tx
    .update(availability)
    .set({ lastAssignedAt: sql`clock_timestamp()` })
    .where(and(eq(availability.tenantId, tenant.id), eq(availability.userId, next.userId)));
  return next.userId;
}
