/**
 * The live stream behind `engagements.onEvent`. The procedure's transaction has committed by the time the stream
 * is read, so reads here open their own short transactions in the tenant's scope (tenant id only: events are
 * tenant data, whoever reads them).
 *
 * A stream catches up by itself (replay after Last-Event-ID, or from the latest id when it subscribed), then
 * attaches to its tenant's shared feed in the EventHub: one read per wake-up for all of the tenant's streams in
 * this process (see lib/event-hub.ts). Access is re-checked for all of a tenant's streams together every
 * `hub.recheckMs` (default 10 s) — session alive, API key unrevoked and unexpired, membership (or the parent
 * tenant's) or platform powers (flag and MFA), tenant and organisation active, MFA when the tenant (or its
 * organisation) has `security.requireMfa` on — and streams that lost it end. So a revoked session / key or a removed member may
 * receive up to that interval of further events; each stream is admitted by tenantProcedure like any call.
 */
import { tracked } from "@trpc/server";
import { and, asc, eq, gt, inArray, isNull, max, or, sql } from "drizzle-orm";
import {
  apiKeys,
  type DbHandle,
  engagementEvents,
  engagements,
  memberships,
  messages,
  sessions,
  users,
  type Tenant,
  tenants,
  type Tx,
  withScope,
  type EngagementEvent,
} from "@switchboard/db";
import type { AuthUser } from "@switchboard/auth";
import { BEHIND, type EventHub, type EventSubscription, type FeedSource, FEED_PAGE as PAGE } from "../../lib/event-hub";
import { DomainError } from "../../errors";
import { hasPlatformPowers } from "../../lib/platform-powers";
import { tenantRequiresMfa } from "../tenant/tenant.service";
import { messageColumns, messageView, type MessageView } from "../messages/thread";
import { engagementColumns, engagementView, type EngagementView } from "./engagements.service";

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

/** What the access re-check needs to know about a stream. */
interface StreamAccess {
  userId: string | null;
  sessionId: string | null;
  apiKeyId: string | null;
}

/** What a stream sends: a change to an engagement, or a message added to its thread. */
type StreamData =
  | { type: Exclude<EngagementEvent["type"], "message">; engagement: EngagementView }
  | { type: "message"; engagementId: string; message: MessageView };

interface StreamEvent {
  id: number;
  at: Date;
  data: StreamData;
}

type Sub = EventSubscription<StreamEvent, StreamAccess>;

/**
 * One batched access check for a tenant's streams: which of them lost access. In one transaction in the tenant's
 * scope: the tenant's status and settings (and its organisation's), which of the streams' sessions are alive,
 * which API keys are unrevoked and unexpired, the users' current platform powers and MFA, and which users are
 * members; members of the parent organisation (departments) in a second one, only for users without a membership
 * of their own. Same rules as at admission: a tenant (or its organisation) that switched `security.requireMfa` on
 * ends the streams of people without MFA, and a platform admin who lost the flag or MFA needs a membership.
 */
async function revokedStreams(db: DbHandle, tenant: Pick<Tenant, "id" | "parentId">, subs: readonly Sub[]): Promise<Set<Sub>> {
  const sessionIds = [...new Set(subs.flatMap((s) => (s.meta.sessionId ? [s.meta.sessionId] : [])))];
  const keyIds = [...new Set(subs.flatMap((s) => (s.meta.userId === null && s.meta.apiKeyId ? [s.meta.apiKeyId] : [])))];
  const userIds = [...new Set(subs.flatMap((s) => (s.meta.userId ? [s.meta.userId] : [])))];
  const tenantIds = tenant.parentId ? [tenant.id, tenant.parentId] : [tenant.id];
  const [tenantRows, aliveSessions, validKeys, people, members] = await withScope(db, { tenantId: tenant.id, parentTenantId: tenant.parentId }, (tx) =>
    Promise.all([
      tx.select({ id: tenants.id, status: tenants.status, settings: tenants.settings }).from(tenants).where(inArray(tenants.id, tenantIds)),
      sessionIds.length === 0
        ? Promise.resolve([])
        : tx
            .select({ id: sessions.id })
            .from(sessions)
            .where(and(inArray(sessions.id, sessionIds), gt(sessions.expiresAt, sql`now()`))),
      keyIds.length === 0
        ? Promise.resolve([])
        : tx
            .select({ id: apiKeys.id })
            .from(apiKeys)
            .where(
              and(
                inArray(apiKeys.id, keyIds),
                isNull(apiKeys.revokedAt),
                or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
              ),
            ),
      userIds.length === 0
        ? Promise.resolve([])
        : tx
            .select({ id: users.id, isPlatformAdmin: users.isPlatformAdmin, mfaEnabled: sql<boolean>`${users.mfaEnabledAt} is not null` })
            .from(users)
            .where(inArray(users.id, userIds)),
      userIds.length === 0
        ? Promise.resolve([])
        : tx
            .select({ userId: memberships.userId })
            .from(memberships)
            .where(and(eq(memberships.tenantId, tenant.id), inArray(memberships.userId, userIds))),
    ]),
  );
  const own = tenantRows.find((r) => r.id === tenant.id);
  const parent = tenant.parentId ? (tenantRows.find((r) => r.id === tenant.parentId) ?? null) : null;
  // A department of a suspended or archived organisation is closed with it (as at admission).
  const status = !own ? null : parent && parent.status !== "active" ? parent.status : own.status;
  const requiresMfa = own ? tenantRequiresMfa(own, parent) : false;
  const alive = new Set(aliveSessions.map((r) => r.id));
  const keys = new Set(validKeys.map((r) => r.id));
  const person = new Map(people.map((p) => [p.id, p]));
  const memberOf = new Set(members.map((r) => r.userId));
  const missing = userIds.filter((id) => !memberOf.has(id));
  if (tenant.parentId && missing.length > 0) {
    const parentId = tenant.parentId;
    const inherited = await withScope(db, { tenantId: parentId }, (tx) =>
      tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .where(and(eq(memberships.tenantId, parentId), inArray(memberships.userId, missing))),
    );
    for (const r of inherited) memberOf.add(r.userId);
  }
  const lost = new Set<Sub>();
  for (const s of subs) {
    const m = s.meta;
    let ok: boolean;
    if (m.userId === null) ok = Boolean(m.apiKeyId && keys.has(m.apiKeyId)) && status === "active";
    else if (m.sessionId && !alive.has(m.sessionId)) ok = false;
    else {
      const p = person.get(m.userId);
      if (!p) ok = false;
      else if (hasPlatformPowers(p)) ok = status !== null;
      else ok = status === "active" && memberOf.has(m.userId) && (p.mfaEnabled || !requiresMfa);
    }
    if (!ok) lost.add(s);
  }
  return lost;
}

function eventsAfter(tx: Tx, tenantId: string, afterId: number, limit: number) {
  return tx
    .select({ id: engagementEvents.id, type: engagementEvents.type, at: engagementEvents.at, engagement: engagementColumns, message: messageColumns })
    .from(engagementEvents)
    .innerJoin(
      engagements,
      and(eq(engagements.tenantId, engagementEvents.tenantId), eq(engagements.id, engagementEvents.engagementId)),
    )
    .leftJoin(messages, and(eq(messages.tenantId, engagementEvents.tenantId), eq(messages.id, engagementEvents.messageId)))
    .where(and(eq(engagementEvents.tenantId, tenantId), gt(engagementEvents.id, afterId)))
    .orderBy(asc(engagementEvents.id))
    .limit(limit);
}

async function readEvents(db: DbHandle, tenantId: string, afterId: number, limit: number): Promise<StreamEvent[]> {
  const rows = await withScope(db, { tenantId }, (tx) => eventsAfter(tx, tenantId, afterId, limit));
  const now = new Date();
  return rows.map((e) => ({
    id: e.id,
    at: e.at,
    data:
      e.type === "message" && e.message
        ? { type: "message", engagementId: e.engagement.id, message: messageView(e.message) }
        : { type: e.type === "message" ? "updated" : e.type, engagement: engagementView(e.engagement, now) },
  }));
}

/**
 * Opens a subscription (counted against the caller's cap) inside the procedure's transaction and returns the
 * stream. Without `lastEventId` the stream starts after the tenant's latest event; with it, it first replays
 * what the client missed. The stream tracks the last id it sent and never sends one at or below it, and the
 * feed hands it only events after the id it attached at, so events are neither duplicated nor skipped.
 */
export async function openEngagementStream(
  tx: Tx,
  owner: StreamOwner,
  lastEventId: string | undefined,
  signal: AbortSignal | undefined,
) {
  if (!owner.hub) throw new DomainError("PRECONDITION_FAILED", "Live events are not available on this server");
  const hub = owner.hub;
  const tenant = { id: owner.tenant.id, parentId: owner.tenant.parentId };
  const start = lastEventId !== undefined ? Number(lastEventId) : await latestEventId(tx, tenant.id);
  const source: FeedSource<StreamEvent, StreamAccess> = {
    read: (afterId, limit) => readEvents(owner.db, tenant.id, afterId, limit),
    revoked: (subs) => revokedStreams(owner.db, tenant, subs),
  };
  const access: StreamAccess = {
    userId: owner.user?.id ?? null,
    sessionId: owner.user ? owner.sessionId : null,
    apiKeyId: owner.user ? null : owner.apiKeyId,
  };
  // The per-caller stream cap counts a user's streams, or an API key's. Registered before the first read, so no
  // notification after that read can be missed.
  const sub = await hub.subscribe(tenant.id, owner.user?.id ?? `key:${owner.apiKeyId}`, signal, source, access);

  return (async function* stream() {
    let last = start;
    const send = (e: StreamEvent) => {
      last = e.id;
      hub.delivered(e.at);
      return tracked(String(e.id), e.data);
    };
    try {
      for (;;) {
        // Catch up by itself (replay, or events since subscribing; again after falling behind the feed).
        for (;;) {
          if (sub.closed || signal?.aborted) return;
          const batch = await readEvents(owner.db, tenant.id, last, PAGE);
          if (sub.closed) return;
          for (const e of batch) if (e.id > last) yield send(e);
          if (batch.length < PAGE) break;
        }
        // Then live, from the tenant's shared feed.
        sub.attach(last);
        for (;;) {
          const items = await sub.take(signal);
          if (items === null) return;
          if (items === BEHIND) break;
          for (const e of items) if (e.id > last) yield send(e);
        }
      }
    } finally {
      sub.close();
    }
  })();
}
