/**
 * For the plain HTTP routes that serve signed links (apps/api plugins/exports.ts): the export file behind
 * `/exports/<id>/download?token=…` and the audit log's CSV behind `/audit/export.csv?token=…`. No session: the
 * token is the authority, checked against the tenant the host names (a link of another tenant does not verify).
 * Outcomes never tell an unknown export from a bad token (`not-found`); only a genuine link says `gone` (the link's
 * 15 minutes or the file's 7 days are over). Each download is audited in the tenant's log as its taker.
 */
import { and, eq } from "drizzle-orm";
import type { SecretBox } from "@switchboard/auth";
import { dataExports, type DbHandle, setScope, type Tenant, tenants, tenantScope, type Tx, users, withScope } from "@switchboard/db";
import { extensionOf } from "@switchboard/jobs";
import { recordAudit } from "../audit/audit.service";
import { checkExportToken } from "./exports.links";

export interface SignedLinkRequest {
  db: DbHandle;
  secrets: Pick<SecretBox, "verify">;
  /** The tenant the request's host names; null on the bare domain. */
  slug: string | null;
  token: string;
  ip: string | null;
  userAgent: string | null;
}

export type ExportFileOutcome =
  | { kind: "file"; tenantId: string; exportId: string; userId: string; storageKey: string; filename: string }
  | { kind: "not-found" }
  | { kind: "gone" };

/**
 * Runs `fn` in the scope of the host's tenant when it is active (and its organisation, for a department); null
 * otherwise (unknown, suspended, archived).
 */
export async function withHostTenant<T>(db: DbHandle, slug: string | null, fn: (tx: Tx, tenant: Tenant) => Promise<T>): Promise<T | null> {
  if (!slug) return null;
  return withScope(db, { tenantSlug: slug }, async (tx) => {
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.slug, slug));
    if (!tenant || tenant.status !== "active") return null;
    await setScope(tx, tenantScope(tenant));
    if (tenant.parentId) {
      const [parent] = await tx.select({ status: tenants.status }).from(tenants).where(eq(tenants.id, tenant.parentId));
      if (parent?.status !== "active") return null;
    }
    return fn(tx, tenant);
  });
}

const datePart = (d: Date) => d.toISOString().slice(0, 10);

/** The file a download link opens, or why not. */
export async function openExportFile(req: SignedLinkRequest & { exportId: string }): Promise<ExportFileOutcome> {
  const outcome = await withHostTenant(req.db, req.slug, async (tx, tenant): Promise<ExportFileOutcome> => {
    const link = checkExportToken(req.secrets, tenant.id, req.exportId, req.token);
    if (!link.ok) return { kind: link.reason === "expired" ? "gone" : "not-found" };
    const [e] = await tx
      .select()
      .from(dataExports)
      .where(and(eq(dataExports.tenantId, tenant.id), eq(dataExports.id, req.exportId)));
    if (!e || e.status !== "ready" || !e.storageKey) return { kind: "not-found" };
    if (e.removedAt || e.expiresAt.getTime() <= Date.now()) return { kind: "gone" };
    return {
      kind: "file",
      tenantId: tenant.id,
      exportId: e.id,
      userId: link.value.userId,
      storageKey: e.storageKey,
      filename: `${tenant.slug}-export-${datePart(e.createdAt)}.${extensionOf(e)}`,
    };
  });
  return outcome ?? { kind: "not-found" };
}

/** One `success` entry in the tenant's log for a download through a signed link, as the person it was issued to. */
export async function recordLinkDownload(
  db: DbHandle,
  req: Pick<SignedLinkRequest, "ip" | "userAgent">,
  entry: { tenantId: string; userId: string; action: "exports.downloaded" | "audit.downloaded"; resourceType: string; resourceId: string | null },
): Promise<void> {
  await withScope(db, { tenantId: entry.tenantId }, async (tx) => {
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, entry.userId));
    await recordAudit(tx, {
      tenantId: entry.tenantId,
      actor: { type: "user", id: entry.userId, label: user?.email ?? "(deleted user)" },
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId,
      ip: req.ip,
      userAgent: req.userAgent,
      result: "success",
    });
  });
}

