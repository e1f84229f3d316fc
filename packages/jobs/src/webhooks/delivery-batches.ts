/**
 * The dispatcher's hot statements, batched across tenants: a claimed batch is read, and a batch of successes is
 * recorded, with ONE statement each, whatever the number of tenants in it. The statements call functions of migration
 * 0030 that run as the caller (the app role, so row-level security applies) and run each tenant's part in that
 * tenant's scope, naming the tenant in every WHERE clause too (a statement that ran under another scope would match
 * nothing: never another tenant's row).
 *
 * Why: the dispatcher's CPU per delivery was dominated first by one transaction per delivery, then — batched but
 * still sent per tenant — by two statements per tenant in each batch (the scope, then the statement): with deliveries
 * spread over many tenants that was four statements, replies and wake-ups per delivery. Figures in
 * packages/jobs/bench/README.md. The statements are fixed SQL text (batches travel as one jsonb parameter), so
 * postgres.js prepares each once per connection.
 */
import { sql } from "drizzle-orm";
import { type DbHandle, rowsOf, type Tx, withScope } from "@switchboard/db";

/** A claimed delivery with what sending it needs: its endpoint and event. */
export interface DeliveryRow {
  id: string;
  tenantId: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  orderKey: string | null;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  createdAt: Date;
  url: string;
  enabled: boolean;
  secretCiphertext: string;
  failingSince: Date | null;
  data: Record<string, unknown>;
  eventCreatedAt: Date;
}

interface RawDeliveryRow {
  id: string;
  tenant_id: string;
  webhook_id: string;
  event_id: string;
  event_type: string;
  order_key: string | null;
  status: DeliveryRow["status"];
  attempts: number;
  created_at: string | Date;
  url: string;
  enabled: boolean;
  secret_ciphertext: string;
  failing_since: string | Date | null;
  data: Record<string, unknown> | string;
  event_created_at: string | Date;
}

/** Drizzle leaves timestamps as text on postgres.js (PGlite answers Dates); jsonb may arrive as text. */
function deliveryRow(r: RawDeliveryRow): DeliveryRow {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    webhookId: r.webhook_id,
    eventId: r.event_id,
    eventType: r.event_type,
    orderKey: r.order_key,
    status: r.status,
    attempts: Number(r.attempts),
    createdAt: new Date(r.created_at),
    url: r.url,
    enabled: r.enabled,
    secretCiphertext: r.secret_ciphertext,
    failingSince: r.failing_since === null ? null : new Date(r.failing_since),
    data: typeof r.data === "string" ? (JSON.parse(r.data) as Record<string, unknown>) : r.data,
    eventCreatedAt: new Date(r.event_created_at),
  };
}

/** Events fanned out by one statement at most (their deliveries: one per subscribed endpoint). */
export const FAN_OUT_BATCH = 500;

/**
 * Queues the deliveries of up to `FAN_OUT_BATCH` recorded events of every tenant (`fan_out_webhook_events`, migration
 * 0031: one per subscribed endpoint, in commit order per key), then claims up to `room` due deliveries
 * (`claim_webhook_deliveries`: every tenant's, leased for `leaseSeconds`) and reads them with their endpoints and
 * events (`webhook_deliveries_to_send`, each tenant in its scope; one statement). Two transactions: the fan-out holds
 * the locks of the queues it wrote to until it commits, and recording a success of those queues meanwhile would find
 * them busy (see recordDelivered), so it commits before the claim starts. Answers the claimed deliveries and how many
 * events were fanned out (`FAN_OUT_BATCH`: maybe more wait).
 */
export async function claimDeliveries(
  db: DbHandle,
  room: number,
  leaseSeconds: number,
): Promise<{ claimed: DeliveryRow[]; fannedOut: number }> {
  const fannedOut = await withScope(db, {}, fanOut);
  const claimed = await withScope(db, {}, async (tx) =>
    rowsOf<RawDeliveryRow>(
      await tx.execute(sql`
        select * from webhook_deliveries_to_send((
          select coalesce(jsonb_agg(jsonb_build_object('tenant_id', c.tenant_id, 'id', c.id)), '[]'::jsonb)
            from claim_webhook_deliveries(${room}, ${leaseSeconds}) c))`),
    ),
  );
  return { claimed: claimed.map(deliveryRow), fannedOut };
}

/** The fan-out alone, until no event waits (the dispatcher does it with every claim); answers the events taken. */
export async function fanOutWebhookEvents(db: DbHandle): Promise<number> {
  let total = 0;
  let taken: number;
  do {
    taken = await withScope(db, {}, fanOut);
    total += taken;
  } while (taken === FAN_OUT_BATCH);
  return total;
}

async function fanOut(tx: Tx): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await tx.execute(sql`select fan_out_webhook_events(${FAN_OUT_BATCH}) as n`));
  return Number(row?.n ?? 0);
}

/** A delivery that reached its endpoint (2xx), to record. */
export interface Delivered {
  row: DeliveryRow;
  statusCode: number;
}

/**
 * Records successes (delivered, attempts, status code; the lease dropped): one statement for all tenants
 * (`record_webhook_deliveries_sent`, migration 0030). Answers, per item, nothing when it is recorded, or a promise
 * that settles once it is (its queue was busy, below). The caller records a success whose endpoint was failing with
 * `failingSince` cleared elsewhere (this never writes the endpoint row).
 *
 * Queue locks (migration 0028): recording the first delivery of a queue as delivered hands `ready` to the next one
 * under the queue's advisory lock, which a transaction writing a new delivery of that queue holds until it commits.
 * The batch takes each queue's lock with pg_try_advisory_xact_lock, so it never waits (a wait while holding the
 * other queues' locks could deadlock with a writer of several queues, and would hold up every tenant's successes);
 * the few whose queue is busy at that moment are recorded afterwards, one transaction each, waiting for the lock,
 * while the next batches go on.
 */
export async function recordDelivered(db: DbHandle, items: Delivered[]): Promise<(undefined | Promise<void>)[]> {
  const busy = new Set(await recordDeliveredBatch(db, items, "try"));
  return items.map((item) => {
    if (!busy.has(item.row.id)) return undefined;
    // One busy queue at a time, after the others (each holds a pooled connection while it waits for a writer's
    // commit), and not in the way of the next batches.
    const recorded = busyQueues.then(() => recordDeliveredBatch(db, [item], "wait")).then(() => undefined);
    busyQueues = recorded.catch(() => undefined);
    return recorded;
  });
}

/** The tail of the busy queues' transactions (one after another). */
let busyQueues: Promise<unknown> = Promise.resolve();

/** Records `items` (one statement, see above); answers the ids of those whose queue was busy (with "try"). */
async function recordDeliveredBatch(db: DbHandle, items: Delivered[], locks: "try" | "wait"): Promise<string[]> {
  const outcomes = items.map((i) => ({
    tenant_id: i.row.tenantId,
    id: i.row.id,
    attempts: i.row.attempts + 1,
    status_code: i.statusCode,
    webhook_id: i.row.webhookId,
    order_key: i.row.orderKey,
  }));
  const rows = await withScope(db, {}, async (tx) =>
    rowsOf<{ id: string }>(
      await tx.execute(sql`select id from record_webhook_deliveries_sent(${JSON.stringify(outcomes)}::jsonb, ${locks === "wait"}) as r(id)`),
    ),
  );
  return rows.map((r) => r.id);
}
