/**
 * `recordWebhookEvent(tx, tenantId, event)`: the webhook outbox. Called by a service in the transaction that makes
 * the change, so the event exists exactly when the change commits (a rollback sends nothing, a commit always
 * sends). ONE statement: the tenant's enabled endpoints subscribed to the type → the event row, only if there is
 * one → a delivery per endpoint → a NOTIFY (delivered at commit) that wakes the dispatchers. Without a subscribed
 * endpoint it inserts nothing and costs one index read.
 *
 * Ordering: a delivery joins its queue (endpoint, `orderKey`) under the queue's advisory lock, held until commit
 * (the insert trigger of migration 0028), so the deliveries' `seq` and `ready` follow commit order per queue and the
 * dispatcher sends them in that order. The endpoints' rows are inserted in id order, so two transactions take their
 * queues' locks in the same order. A service still calls this while holding the row lock of what changed (the
 * engagement, call or lead): its events are ordered with the change itself.
 */
import { sql } from "drizzle-orm";
import { rowsOf, type Tx, type WebhookEventType } from "@switchboard/db";

/** Dispatchers LISTEN here; the payload is empty (PostgreSQL folds a transaction's identical notifications into one). */
export const WEBHOOK_DELIVERIES_CHANNEL = "webhook_deliveries";

export interface WebhookEventInput {
  type: WebhookEventType;
  /** The engagement, call or lead the event is about (deliveries of one key are sent in commit order); null: unordered. */
  orderKey: string | null;
  /** The payload: the same object the procedures return for the row. */
  data: object;
}

/** Records `event` for every subscribed endpoint; answers the number of deliveries queued (0: none subscribed). */
export async function recordWebhookEvent(tx: Tx, tenantId: string, event: WebhookEventInput): Promise<number> {
  const result = await tx.execute(sql`
    with targets as (
      select id from webhook_endpoints
       where tenant_id = ${tenantId} and enabled and ${event.type} = any(events)
    ), event as (
      insert into webhook_events (tenant_id, type, data)
      select ${tenantId}, ${event.type}, ${JSON.stringify(event.data)}::jsonb
       where exists (select 1 from targets)
      returning id
    ), queued as (
      insert into webhook_deliveries (tenant_id, webhook_id, event_id, event_type, order_key)
      select ${tenantId}, targets.id, event.id, ${event.type}, ${event.orderKey}::uuid from targets cross join event
       order by targets.id
      returning 1
    )
    select count(*)::int as queued,
           (select pg_notify(${WEBHOOK_DELIVERIES_CHANNEL}, '') from event) is not null as notified
      from queued`);
  const rows = rowsOf<{ queued: number }>(result);
  return Number(rows[0]?.queued ?? 0);
}

/**
 * One more delivery of a recorded event to one endpoint (webhooks.test's ping, webhooks.redeliver): a new log row,
 * the same `webhook-id` (the event's), sent at once. Answers the new delivery's id.
 */
export async function queueDelivery(
  tx: Tx,
  tenantId: string,
  d: { webhookId: string; eventId: string; eventType: string; orderKey: string | null },
): Promise<string> {
  const result = await tx.execute(sql`
    with queued as (
      insert into webhook_deliveries (tenant_id, webhook_id, event_id, event_type, order_key)
      values (${tenantId}, ${d.webhookId}, ${d.eventId}, ${d.eventType}, ${d.orderKey}::uuid)
      returning id
    )
    select id, (select pg_notify(${WEBHOOK_DELIVERIES_CHANNEL}, '')) is not null as notified from queued`);
  const rows = rowsOf<{ id: string }>(result);
  return rows[0]!.id;
}
