/**
 * `recordWebhookEvent(tx, tenantId, event)`: the webhook outbox. Called by a service in the transaction that makes
 * the change, so the event exists exactly when the change commits (a rollback sends nothing, a commit always
 * sends). ONE statement, ONE row: the event, only if an enabled endpoint of the tenant subscribes to its type (else
 * it costs one index read), and a NOTIFY (delivered at commit) that wakes the dispatchers. Its deliveries — one per
 * subscribed endpoint — are queued after the commit by the dispatchers' fan-out (`fan_out_webhook_events`, migration
 * 0031), many events at a time, so the request's transaction writes the same single row whatever the number of
 * endpoints.
 *
 * Ordering: the event draws its place (`fan_out_seq`) under its key's advisory lock, held until commit, so the
 * events of one engagement (call, lead) are fanned out, and their deliveries to each endpoint sent, in commit order.
 * A service still calls this while holding the row lock of what changed: its events are ordered with the change.
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

/** Records `event` if an endpoint subscribes to it; answers whether it did (1) or not (0: none subscribed). */
export async function recordWebhookEvent(tx: Tx, tenantId: string, event: WebhookEventInput): Promise<number> {
  const result = await tx.execute(sql`
    with event as (
      insert into webhook_events (tenant_id, type, data, order_key, fan_out_seq)
      select ${tenantId}, ${event.type}, ${JSON.stringify(event.data)}::jsonb, ${event.orderKey}::uuid,
             next_webhook_event_seq(${tenantId}, ${event.orderKey}::uuid)
       where exists (select 1 from webhook_endpoints
                      where tenant_id = ${tenantId} and enabled and ${event.type} = any(events))
      returning 1
    )
    select count(*)::int as recorded,
           (select pg_notify(${WEBHOOK_DELIVERIES_CHANNEL}, '') from event) is not null as notified
      from event`);
  const rows = rowsOf<{ recorded: number }>(result);
  return Number(rows[0]?.recorded ?? 0);
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
