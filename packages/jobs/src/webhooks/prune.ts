/**
 * `webhooks.prune` (daily): delivered and failed deliveries older than `retention.webhookDays`, and events older than
 * that which no delivery needs any more (a pending one keeps its event). Each tenant is pruned in its own scope; the
 * tenants come from an owner function that answers ids only (the app role cannot list other tenants' rows).
 */
import { and, eq, inArray, isNull, lt, notExists, sql } from "drizzle-orm";
import { type DbHandle, rowsOf, webhookDeliveries, webhookEvents, withScope } from "@switchboard/db";

export const webhookRetentionDays = 30;

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

/** Tenants with events older than the retention (owner function, migration 0021). */
export async function tenantsWithOldWebhookEvents(db: DbHandle, days = webhookRetentionDays): Promise<string[]> {
  return withScope(db, {}, async (tx) => {
    const result = await tx.execute(sql`select t as id from tenants_with_old_webhook_events(${daysAgo(days).toISOString()}::timestamptz) as t`);
    const rows = rowsOf<{ id: string }>(result);
    return rows.map((r) => r.id);
  });
}

/** One tenant's old deliveries and events, in its scope; answers what was deleted. */
export async function pruneWebhooks(db: DbHandle, tenantId: string, days = webhookRetentionDays) {
  const before = daysAgo(days);
  return withScope(db, { tenantId }, async (tx) => {
    const deliveries = await tx
      .delete(webhookDeliveries)
      .where(and(inArray(webhookDeliveries.status, ["delivered", "failed"]), lt(webhookDeliveries.createdAt, before)))
      .returning({ id: webhookDeliveries.id });
    const events = await tx
      .delete(webhookEvents)
      .where(
        and(
          lt(webhookEvents.createdAt, before),
          isNull(webhookEvents.fanOutSeq),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(webhookDeliveries)
              .where(and(eq(webhookDeliveries.tenantId, webhookEvents.tenantId), eq(webhookDeliveries.eventId, webhookEvents.id))),
          ),
        ),
      )
      .returning({ id: webhookEvents.id });
    return { deliveries: deliveries.length, events: events.length };
  });
}

/** The scheduled job: every tenant with old rows, one scope each. */
export async function pruneAllWebhooks(db: DbHandle, days = webhookRetentionDays) {
  let deliveries = 0;
  let events = 0;
  const tenants = await tenantsWithOldWebhookEvents(db, days);
  for (const tenantId of tenants) {
    const r = await pruneWebhooks(db, tenantId, days);
    deliveries += r.deliveries;
    events += r.events;
  }
  return { tenants: tenants.length, deliveries, events };
}
