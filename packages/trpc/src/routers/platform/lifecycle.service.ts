/**
 * Suspension and restore (contract v2, platform). A suspended tenant (and its departments, through admission's
 * parent check) is refused to everyone but platform admins, with the reason in the refusal; its event streams end
 * at their next access re-check. Restore undoes a suspension, or an archive within its grace period: the tenant
 * comes back unchanged, with the departments archived together with it.
 */
import { and, eq } from "drizzle-orm";
import type { AuthUser } from "@switchboard/auth";
import { type DbHandle, setScope, type Tenant, tenants, tenantScope, type Tx, withScope } from "@switchboard/db";
import { notFound, preconditionFailed } from "../../errors";
import { type RequestInfo, recordPlatformAction } from "./platform-audit.service";
import { platformTenantView, usageOf } from "./platform.service";

async function tenantById(tx: Tx, tenantId: string): Promise<Tenant> {
  const [t] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!t) throw notFound("Tenant");
  return t;
}

/** Changes one tenant's row in its own scope ("a tenant updates only itself"). */
async function updateTenantRow(tx: Tx, t: Pick<Tenant, "id" | "parentId">, set: Partial<Tenant>): Promise<Tenant> {
  await setScope(tx, tenantScope(t));
  const [row] = await tx
    .update(tenants)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(tenants.id, t.id))
    .returning();
  return row!;
}

/** platform.tenants.suspend: active (or suspended: the reason is replaced) → suspended. An archived tenant is not. */
export function suspendTenant(db: DbHandle, admin: AuthUser, input: { tenantId: string; reason: string }, request: RequestInfo) {
  return withScope(db, { userId: admin.id }, async (tx) => {
    const before = await tenantById(tx, input.tenantId);
    if (before.status === "archived") throw preconditionFailed("An archived tenant cannot be suspended: restore it first");
    const after = await updateTenantRow(tx, before, {
      status: "suspended",
      suspendedReason: input.reason,
      suspendedAt: before.suspendedAt ?? new Date(),
    });
    await recordPlatformAction(tx, admin, request, after, "platform.tenants.suspend", { reason: input.reason, before: before.status }, input.reason);
    return platformTenantView(after, await usageOf(tx, db, after));
  });
}

/**
 * platform.tenants.restore: a suspended tenant → active; an archived one within its grace period → as it was before
 * (active, or suspended if it was), dates cleared, with the departments archived together with it. Past the grace
 * period the purge is due: PRECONDITION_FAILED. A department of an archived organisation comes back with it only.
 */
export function restoreTenant(db: DbHandle, admin: AuthUser, input: { tenantId: string }, request: RequestInfo) {
  return withScope(db, { userId: admin.id }, async (tx) => {
    const before = await tenantById(tx, input.tenantId);
    if (before.status === "active") throw preconditionFailed("Nothing to restore: the tenant is active");
    let after: Tenant;
    const restored: string[] = [];
    if (before.status === "suspended") {
      after = await updateTenantRow(tx, before, { status: "active", suspendedReason: null, suspendedAt: null });
    } else {
      if (!before.purgeAfter || before.purgeAfter.getTime() <= Date.now()) {
        throw preconditionFailed("The grace period of this archived tenant is over: its data is being deleted");
      }
      if (before.parentId) {
        const org = await tenantById(tx, before.parentId);
        if (org.status === "archived") throw preconditionFailed("Its organisation is archived: restore the organisation");
      }
      const back = { status: before.suspendedAt ? ("suspended" as const) : ("active" as const), archivedAt: null, purgeAfter: null };
      // Departments archived with it share its archivedAt (tenant.archive); ones archived on their own stay so.
      const departments = before.archivedAt
        ? await tx
            .select()
            .from(tenants)
            .where(and(eq(tenants.parentId, before.id), eq(tenants.status, "archived"), eq(tenants.archivedAt, before.archivedAt)))
        : [];
      for (const dept of departments) {
        await updateTenantRow(tx, dept, { ...back, status: dept.suspendedAt ? "suspended" : "active" });
        restored.push(dept.id);
      }
      after = await updateTenantRow(tx, before, back);
    }
    await recordPlatformAction(tx, admin, request, after, "platform.tenants.restore", { from: before.status, to: after.status, departments: restored });
    return platformTenantView(after, await usageOf(tx, db, after));
  });
}
