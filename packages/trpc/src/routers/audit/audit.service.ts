import { and, eq, gte, lt, type SQL } from "drizzle-orm";
import { auditLog, type Tx } from "@switchboard/db";
import { afterCursor, newestFirst, orderOf, toPage } from "../../lib/cursor";
import { hitRateWindow } from "../../lib/rate-windows";

/** Who did something: a signed-in user (label: email) or an API key (label: its name). */
export interface Actor {
  type: "user" | "apiKey";
  id: string;
  label: string;
}

export interface AuditRecord {
  tenantId: string;
  actor: Actor;
  action: string;
  resourceType: string;
  resourceId: string | null;
  ip: string | null;
  userAgent: string | null;
  result: "success" | "denied";
  reason?: string | null;
  /** Figures and ids the action leaves (audit_log.details). */
  details?: Record<string, unknown> | null;
}

export async function recordAudit(tx: Tx, r: AuditRecord): Promise<void> {
  await tx.insert(auditLog).values({
    tenantId: r.tenantId,
    actorType: r.actor.type,
    actorId: r.actor.id,
    actorLabel: r.actor.label.slice(0, 200),
    action: r.action,
    resourceType: r.resourceType,
    resourceId: r.resourceId?.slice(0, 200) ?? null,
    ip: r.ip?.slice(0, 100) ?? null,
    userAgent: r.userAgent?.slice(0, 512) ?? null,
    result: r.result,
    reason: r.reason ?? null,
    details: r.details ?? null,
  });
}

/**
 * Someone who is not a member leaves at most this many `denied` entries per tenant per minute, counted across
 * replicas in `rate_limit_windows` (`audit-denied:<tenant id>`), so outsiders cannot flood a tenant's log.
 */
export const outsiderDenialsPerMinute = 10;

/** Records a non-member's `denied` entry unless the tenant's minute is full; false when it was dropped. */
export async function recordOutsiderDenial(tx: Tx, r: AuditRecord): Promise<boolean> {
  const { count } = await hitRateWindow(tx, `audit-denied:${r.tenantId}`);
  if (count > outsiderDenialsPerMinute) return false;
  await recordAudit(tx, r);
  return true;
}

export interface ListAuditInput {
  action?: string | undefined;
  resourceType?: string | undefined;
  actorId?: string | undefined;
  result?: "success" | "denied" | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  cursor?: string | undefined;
}

const listOrder = newestFirst(auditLog.at, auditLog.id, (r: typeof auditLog.$inferSelect) => [r.at, r.id]);

/** Newest first, cursor over (at, id). */
export async function listAudit(tx: Tx, input: ListAuditInput) {
  const where: (SQL | undefined)[] = [
    input.action ? eq(auditLog.action, input.action) : undefined,
    input.resourceType ? eq(auditLog.resourceType, input.resourceType) : undefined,
    input.actorId ? eq(auditLog.actorId, input.actorId) : undefined,
    input.result ? eq(auditLog.result, input.result) : undefined,
    input.from ? gte(auditLog.at, input.from) : undefined,
    input.to ? lt(auditLog.at, input.to) : undefined,
    afterCursor(input.cursor, listOrder),
  ];
  const rows = await tx
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(...orderOf(listOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, listOrder, (r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor: { type: r.actorType, id: r.actorId, label: r.actorLabel },
    action: r.action,
    resourceType: r.resourceType,
    resourceId: r.resourceId,
    ip: r.ip,
    userAgent: r.userAgent,
    result: r.result,
    reason: r.reason,
    details: r.details,
  }));
}
