/**
 * The live stream behind `engagements.onEvent`. The procedure's transaction has committed by the time the stream
 * is read, so every read here opens its own short transaction in the subscriber's tenant scope, and re-checks on
 * each wake-up that the session is alive and the caller still belongs to the tenant (the stream ends otherwise).
 */
import { tracked } from "@trpc/server";
import { and, asc, eq, gt, inArray, isNull, max, or, sql } from "drizzle-orm";
import {
  apiKeys,
  type DbHandle,
  engagementEvents,
  engagements,
  memberships,
  sessions,
  type Tenant,
  tenants,
  type Tx,
  withTenant,
} from "@switchboard/db";
import type { AuthUser } from "@switchboard/auth";
import type { EventHub } from "../../lib/event-hub";
import { DomainError } from "../../errors";
import { engagementView } from "./engagements.service";

const PAGE = 200;

export interface StreamOwner {
  db: DbHandle;
  hub: EventHub | null | undefined;
  tenant: Tenant;
  /** A signed-in user, or null for an API key (then `apiKeyId` is set). */
  user: AuthUser | null;
  sessionId: string | null;
  apiKeyId: string | null;
}

async function latestEventId(tx: Tx, tenantId: string): Promise<number> {
  const [row] = await tx
    .select({ id: max(engagementEvents.id) })
    .from(engagementEvents)
    .where(eq(engagementEvents.tenantId, tenantId));
  return row?.id ?? 0;
}

async function stillAllowed(tx: Tx, owner: StreamOwner): Promise<boolean> {
  const [tenant] = await tx.select({ status: tenants.status }).from(tenants).where(eq(tenants.id, owner.tenant.id));
  if (!owner.user) {
    // An API key: still unrevoked and unexpired, and its tenant still active.
    const [key] = await tx
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(
        and(
          eq(apiKeys.id, owner.apiKeyId ?? ""),
          isNull(apiKeys.revokedAt),
          or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
        ),
      );
    return Boolean(key) && tenant?.status === "active";
  }
  if (owner.sessionId) {
    const [alive] = await tx
      .select({ id: sessions.id })
      .from(sessions)
      .where(and(eq(sessions.id, owner.sessionId), gt(sessions.expiresAt, sql`now()`)));
    if (!alive) return false;
  }
  if (owner.user.isPlatformAdmin) return Boolean(tenant);
  if (tenant?.status !== "active") return false;
  const ids = owner.tenant.parentId ? [owner.tenant.id, owner.tenant.parentId] : [owner.tenant.id];
  const roles = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.userId, owner.user.id), inArray(memberships.tenantId, ids)));
  return roles.length > 0;
}

function eventsAfter(tx: Tx, tenantId: string, afterId: number) {
  return tx
    .select({ id: engagementEvents.id, type: engagementEvents.type, at: engagementEvents.at, engagement: engagements })
    .from(engagementEvents)
    .innerJoin(
      engagements,
      and(eq(engagements.tenantId, engagementEvents.tenantId), eq(engagements.id, engagementEvents.engagementId)),
    )
    .where(and(eq(engagementEvents.tenantId, tenantId), gt(engagementEvents.id, afterId)))
    .orderBy(asc(engagementEvents.id))
    .limit(PAGE);
}

/**
 * Opens a subscription (counted against the caller's cap) inside the procedure's transaction and returns the
 * stream. Without `lastEventId` the stream starts after the tenant's latest event; with it, it first replays
 * what the client missed. Replay and live share one path (read everything after the last id sent), so events
 * are neither duplicated nor skipped.
 */
export async function openEngagementStream(
  tx: Tx,
  owner: StreamOwner,
  lastEventId: string | undefined,
  signal: AbortSignal | undefined,
) {
  if (!owner.hub) throw new DomainError("PRECONDITION_FAILED", "Live events are not available on this server");
  const hub = owner.hub;
  const start = lastEventId !== undefined ? Number(lastEventId) : await latestEventId(tx, owner.tenant.id);
  // The per-caller stream cap counts a user's streams, or an API key's.
  const sub = await hub.subscribe(owner.tenant.id, owner.user?.id ?? `key:${owner.apiKeyId}`, signal);
  const scope = { tenantId: owner.tenant.id, parentTenantId: owner.tenant.parentId, userId: owner.user?.id ?? null };

  return (async function* stream() {
    let last = start;
    try {
      for (;;) {
        const batch = await withTenant(owner.db, scope, async (t) =>
          (await stillAllowed(t, owner)) ? eventsAfter(t, owner.tenant.id, last) : null,
        );
        if (batch === null) return;
        for (const e of batch) {
          last = e.id;
          hub.delivered(e.at);
          yield tracked(String(e.id), { type: e.type, engagement: engagementView(e.engagement) });
        }
        if (batch.length === PAGE) continue;
        if (!(await sub.next(last, signal))) return;
      }
    } finally {
      sub.close();
    }
  })();
}
