/**
 * The engagement event log behind `engagements.onEvent`: one row per change, written in the change's transaction,
 * then NOTIFY (delivered at commit, by every replica's LISTEN). `message` events name the message added to the thread.
 */
import { sql } from "drizzle-orm";
import { engagementEvents, type EngagementEvent, rowsOf, sendWithoutWaiting, type Tx } from "@switchboard/db";
import { tenantLock } from "../../lib/locks";

/** The NOTIFY channel; payloads are `<tenant_id>:<event_id>`, ids only. */
export const ENGAGEMENT_EVENTS_CHANNEL = "engagement_events";

/**
 * Records a change for live subscribers. The per-tenant lock makes a tenant's event ids commit in increasing order,
 * so a client resuming after id N never misses an event with a smaller id that committed later.
 *
 * One round trip (the writer's latency is the live event's latency): the lock and then the row with its
 * notification leave back to back (`sendWithoutWaiting`); the connection runs them in that order, so the lock is
 * held before the id is drawn. The NOTIFY is queued by the same statement as the row and delivered at commit.
 */
export async function recordEvent(
  tx: Tx,
  tenantId: string,
  engagementId: string,
  type: EngagementEvent["type"],
  messageId: string | null = null,
) {
  const rows = await sendWithoutWaiting(tenantLock(tx, "engagement-events", tenantId), async () =>
    rowsOf<{ id: number | string }>(
      await tx.execute(sql`
        with event as (
          insert into ${engagementEvents} (tenant_id, engagement_id, type, message_id)
          values (${tenantId}, ${engagementId}, ${type}, ${messageId})
          returning id
        )
        select id, pg_notify(${ENGAGEMENT_EVENTS_CHANNEL}::text, ${`${tenantId}:`}::text || id) is not null as notified from event`),
    ),
  );
  return Number(rows[0]!.id);
}
