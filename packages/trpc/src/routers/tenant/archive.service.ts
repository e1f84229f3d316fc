import { and, eq, ne } from "drizzle-orm";
import { memberships, setScope, type Tenant, tenants, tenantScope, type Tx, users } from "@switchboard/db";
import { queueEmail } from "../../lib/mail";
import { badRequest } from "../../errors";

export interface ArchiveOptions {
  /** ARCHIVE_GRACE_DAYS: until then platform.tenants.restore brings the tenant back; then the purge job deletes it. */
  graceDays: number;
  /** Who archives (named in the owners' mail). */
  by: { email: string; name: string };
  /** The tenant's dashboard, for the mail. */
  link: string;
}

/**
 * tenant.archive: the tenant and its departments close at once (admission refuses them) and the grace period
 * starts; the owners are mailed the date after which the purge job (packages/jobs/src/purge) deletes everything.
 * Departments get the same dates, so a restore of the organisation finds exactly those archived with it.
 */
export async function archiveTenant(tx: Tx, tenant: Tenant, input: { confirmSlug: string }, opts: ArchiveOptions) {
  if (input.confirmSlug !== tenant.slug) throw badRequest("confirmSlug must be this tenant's slug");
  const now = new Date();
  const purgeAfter = new Date(now.getTime() + opts.graceDays * 86_400_000);
  const closing = { status: "archived" as const, archivedAt: now, purgeAfter, updatedAt: now };
  // Visible through "a tenant sees its departments"; each is changed in its own scope ("a tenant updates only itself").
  const departments = await tx
    .select({ id: tenants.id })
    .from(tenants)
    .where(and(eq(tenants.parentId, tenant.id), ne(tenants.status, "archived")));
  for (const dept of departments) {
    await setScope(tx, tenantScope({ id: dept.id, parentId: tenant.id }));
    await tx.update(tenants).set(closing).where(eq(tenants.id, dept.id));
  }
  if (departments.length > 0) await setScope(tx, tenantScope(tenant));
  await tx.update(tenants).set(closing).where(eq(tenants.id, tenant.id));

  // The owners of the tenant (a department's are its organisation's when it has none of its own).
  const ownersOf = (tenantId: string) =>
    tx
      .select({ email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "owner")));
  let owners = await ownersOf(tenant.id);
  if (owners.length === 0 && tenant.parentId) {
    await setScope(tx, { tenantId: tenant.parentId, parentTenantId: null });
    owners = await ownersOf(tenant.parentId);
    await setScope(tx, tenantScope(tenant));
  }
  const archivedBy = `${opts.by.name} (${opts.by.email})`;
  for (const owner of owners) {
    await queueEmail(tx, tenant.id, {
      template: "tenant-archived",
      to: owner.email,
      tenantName: tenant.name,
      archivedBy,
      purgeAfter,
      link: opts.link,
    });
  }
  return { ok: true as const, purgeAfter: purgeAfter.toISOString() };
}
