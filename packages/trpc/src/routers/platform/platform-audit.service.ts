import { and, eq } from "drizzle-orm";
import type { AuthUser } from "@switchboard/auth";
import { type DbHandle, platformAudit, setScope, tenants, tenantScope, type Tenant, type Tx, withScope } from "@switchboard/db";
import { afterCursor, newestFirst, orderOf, toPage } from "../../lib/cursor";
import { notFound } from "../../errors";
import { listAudit, recordAudit } from "../audit/audit.service";

export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
}

/**
 * A platform admin's action on a tenant, recorded twice: in the tenant's own log (its scope is entered for that and
 * left so) and in the platform's. `reason` goes to the tenant's entry (a suspension's reason).
 */
export async function recordPlatformAction(
  tx: Tx,
  admin: AuthUser,
  request: RequestInfo,
  tenant: Pick<Tenant, "id" | "parentId">,
  action: string,
  details: Record<string, unknown>,
  reason: string | null = null,
): Promise<void> {
  await setScope(tx, tenantScope(tenant));
  await recordAudit(tx, {
    tenantId: tenant.id,
    actor: { type: "user", id: admin.id, label: admin.email },
    action,
    resourceType: "tenant",
    resourceId: tenant.id,
    ip: request.ip,
    userAgent: request.userAgent,
    result: "success",
    reason,
  });
  await tx.insert(platformAudit).values({
    actorId: admin.id,
    actorLabel: admin.email,
    action,
    targetTenantId: tenant.id,
    details,
    ip: request.ip,
    userAgent: request.userAgent,
  });
}

interface PlatformAuditRow {
  entry: typeof platformAudit.$inferSelect;
  tenant: { id: string; slug: string; name: string } | null;
}

const platformOrder = newestFirst(platformAudit.at, platformAudit.id, (r: PlatformAuditRow) => [r.entry.at, r.entry.id]);

/**
 * platform.audit: the platform's log, newest first; `tenantId` narrows it to the actions on one tenant. Each entry
 * names its tenant as it is now (`targetTenant`; null once purged: a purge's entry keeps the slug and name in details).
 */
export function listPlatformAudit(db: DbHandle, admin: AuthUser, input: { tenantId?: string | undefined; limit: number; cursor?: string | undefined }) {
  return withScope(db, { userId: admin.id }, async (tx) => {
    const rows: PlatformAuditRow[] = await tx
      .select({ entry: platformAudit, tenant: { id: tenants.id, slug: tenants.slug, name: tenants.name } })
      .from(platformAudit)
      .leftJoin(tenants, eq(tenants.id, platformAudit.targetTenantId))
      .where(and(input.tenantId ? eq(platformAudit.targetTenantId, input.tenantId) : undefined, afterCursor(input.cursor, platformOrder)))
      .orderBy(...orderOf(platformOrder))
      .limit(input.limit + 1);
    return toPage(rows, input.limit, platformOrder, ({ entry: r, tenant }) => ({
      id: r.id,
      at: r.at.toISOString(),
      /** id null: the system (the purge job), or an account deleted since. */
      actor: { id: r.actorId, label: r.actorLabel },
      action: r.action,
      targetTenantId: r.targetTenantId,
      targetTenant: tenant,
      details: r.details,
    }));
  });
}

/** platform.tenants.audit: one tenant's own audit log (as its admins see it in audit.list), in its scope. */
export function listTenantAuditForPlatform(db: DbHandle, admin: AuthUser, input: { tenantId: string; limit: number; cursor?: string | undefined }) {
  return withScope(db, { userId: admin.id }, async (tx) => {
    const [t] = await tx.select({ id: tenants.id, parentId: tenants.parentId }).from(tenants).where(eq(tenants.id, input.tenantId));
    if (!t) throw notFound("Tenant");
    await setScope(tx, tenantScope(t));
    return listAudit(tx, { limit: input.limit, cursor: input.cursor });
  });
}
