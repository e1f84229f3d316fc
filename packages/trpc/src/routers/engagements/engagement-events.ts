/**
 * The engagement event log behind `engagements.onEvent`: one row per change, written in the change's transaction,
 * then NOTIFY (delivered at commit, by every replica's LISTEN). `message` events name the message added to the thread.
 */
import { sql } from "drizzle-orm";
import { engagementEvents, type EngagementEvent, type Tx } from "@switchboard/db";
import { lockTenant } from "../../lib/locks";

/** The NOTIFY channel; payloads are `<tenant_id>:<event_id>`, ids only. */
export const ENGAGEMENT_EVENTS_CHANNEL = "engagement_events";

/**
 * Records a change for live subscribers. The per-tenant lock makes a tenant's event ids commit in increasing order,
 * so a client resuming after id N never misses an event with a smaller id that committed later.
 */
export async function recordEvent(
  tx: Tx,
  tenantId: string,
  engagementId: string,
  type: EngagementEvent["type"],
  messageId: string | null = null,
) {
  await lockTenant(tx, "engagement-events", tenantId);
  const [event] = await tx
    .insert(engagementEvents)
    .values({ tenantId, engagementId, type, messageId })
    .returning({ id: engagementEvents.id });
  await tx.execute(sql`select pg_notify(${ENGAGEMENT_EVENTS_CHANNEL}, ${`${tenantId}:${event!.id}`})`);
  return event!.id;
}
