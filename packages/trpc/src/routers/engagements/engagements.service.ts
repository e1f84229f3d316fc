import { and, eq, sql } from "drizzle-orm";
import { type Engagement, engagementEvents, engagements, memberships, type Tenant, type Tx } from "@switchboard/db";
import { afterCursor, newestFirst, orderOf, toPage } from "../../lib/cursor";
import { lockTenant } from "../../lib/locks";
import { notFound } from "../../errors";
import type { CreateEngagementInput, ListEngagementsInput } from "./engagements.input";

/** The NOTIFY channel; payloads are `<tenant_id>:<event_id>`, ids only. */
export const ENGAGEMENT_EVENTS_CHANNEL = "engagement_events";

export function engagementView(e: Engagement) {
  return {
    id: e.id,
    channel: e.channel,
    customer: e.customer,
    subject: e.subject,
    status: e.status,
    priority: e.priority,
    assignedUserId: e.assignedUserId,
    createdAt: e.createdAt.toISOString(),
    firstResponseAt: e.firstResponseAt?.toISOString() ?? null,
    resolvedAt: e.resolvedAt?.toISOString() ?? null,
    csat: e.csat,
  };
}
export type EngagementView = ReturnType<typeof engagementView>;

/**
 * Records a change for live subscribers, in the change's transaction: the event row, then NOTIFY (delivered at
 * commit, by every replica's LISTEN). The per-tenant lock makes a tenant's event ids commit in increasing order,
 * so a client resuming after id N never misses an event with a smaller id that committed later.
 */
export async function recordEvent(tx: Tx, tenantId: string, engagementId: string, type: "created" | "updated") {
  await lockTenant(tx, "engagement-events", tenantId);
  const [event] = await tx
    .insert(engagementEvents)
    .values({ tenantId, engagementId, type })
    .returning({ id: engagementEvents.id });
  await tx.execute(sql`select pg_notify(${ENGAGEMENT_EVENTS_CHANNEL}, ${`${tenantId}:${event!.id}`})`);
  return event!.id;
}

const listOrder = newestFirst(engagements.createdAt, engagements.id, (e: Engagement) => [e.createdAt, e.id]);

export async function listEngagements(tx: Tx, input: ListEngagementsInput) {
  const rows = await tx
    .select()
    .from(engagements)
    .where(
      and(
        input.channel ? eq(engagements.channel, input.channel) : undefined,
        input.status ? eq(engagements.status, input.status) : undefined,
        afterCursor(input.cursor, listOrder),
      ),
    )
    .orderBy(...orderOf(listOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, listOrder, engagementView);
}

export async function getEngagement(tx: Tx, id: string): Promise<EngagementView> {
  const [row] = await tx.select().from(engagements).where(eq(engagements.id, id));
  if (!row) throw notFound("Engagement");
  return engagementView(row);
}

async function findByKey(tx: Tx, key: string | undefined) {
  if (!key) return undefined;
  const [row] = await tx.select().from(engagements).where(eq(engagements.idempotencyKey, key));
  return row;
}

/** Messaging webhooks retry: with an `idempotencyKey` a retry returns the first engagement (and emits nothing). */
export async function createEngagement(tx: Tx, tenant: Tenant, input: CreateEngagementInput): Promise<EngagementView> {
  const existing = await findByKey(tx, input.idempotencyKey);
  if (existing) return engagementView(existing);
  const [row] = await tx
    .insert(engagements)
    .values({
      tenantId: tenant.id,
      channel: input.channel,
      customer: input.customer,
      subject: input.subject ?? null,
      message: input.message,
      ...(input.priority ? { priority: input.priority } : {}),
      idempotencyKey: input.idempotencyKey ?? null,
    })
    .onConflictDoNothing({ target: [engagements.tenantId, engagements.idempotencyKey] })
    .returning();
  if (!row) return engagementView((await findByKey(tx, input.idempotencyKey))!);
  await recordEvent(tx, tenant.id, row.id, "created");
  return engagementView(row);
}

async function lockedEngagement(tx: Tx, id: string): Promise<Engagement> {
  const [row] = await tx.select().from(engagements).where(eq(engagements.id, id)).for("update");
  if (!row) throw notFound("Engagement");
  return row;
}

/** Applies a change and emits "updated", or does nothing (and emits nothing) when the change is a no-op. */
async function change(tx: Tx, tenant: Tenant, current: Engagement, fields: Partial<Engagement>): Promise<EngagementView> {
  const keys = Object.keys(fields) as (keyof Engagement)[];
  const same = (a: unknown, b: unknown) => (a instanceof Date && b instanceof Date ? +a === +b : a === b);
  if (keys.every((k) => same(current[k], fields[k]))) return engagementView(current);
  const [row] = await tx.update(engagements).set(fields).where(eq(engagements.id, current.id)).returning();
  await recordEvent(tx, tenant.id, current.id, "updated");
  return engagementView(row!);
}

/** The first move out of `new` is the first response; `resolved` stamps resolvedAt (cleared on reopening). */
export async function updateEngagementStatus(tx: Tx, tenant: Tenant, input: { id: string; status: Engagement["status"] }) {
  const current = await lockedEngagement(tx, input.id);
  if (current.status === input.status) return engagementView(current);
  const now = new Date();
  return change(tx, tenant, current, {
    status: input.status,
    firstResponseAt: current.firstResponseAt ?? (input.status === "new" ? null : now),
    resolvedAt: input.status === "resolved" ? now : null,
  });
}

/** Assigns to a member of this tenant (or unassigns). Anyone else is NOT_FOUND. */
export async function assignEngagement(tx: Tx, tenant: Tenant, input: { id: string; userId: string | null }) {
  const current = await lockedEngagement(tx, input.id);
  if (input.userId) {
    const [member] = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.userId, input.userId), eq(memberships.tenantId, tenant.id)));
    if (!member) throw notFound("Member");
  }
  return change(tx, tenant, current, { assignedUserId: input.userId });
}

export async function rateEngagement(tx: Tx, tenant: Tenant, input: { id: string; csat: number }) {
  const current = await lockedEngagement(tx, input.id);
  return change(tx, tenant, current, { csat: input.csat });
}
