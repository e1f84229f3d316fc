/**
 * The dispatcher's hot statements, batched across tenants: a claimed batch is read, and a batch of successes is
 * recorded, in ONE transaction each, whatever the number of tenants in it. Inside that transaction each tenant's
 * statements run under its own RLS scope: the transaction starts with an empty scope (withScope), then, per
 * tenant, a `set_config('app.tenant_id', …)` and that tenant's statements, every one also naming the tenant in its
 * WHERE clause (a statement that ran under another scope would match nothing: never another tenant's row).
 *
 * Why: the dispatcher's CPU per delivery was dominated by one transaction (BEGIN, scope, statement, COMMIT, each a
 * socket write) per delivery and Drizzle's query building; figures in bench/README.md. Here every
 * statement of a batch is issued at once without waiting for the previous one's reply (`issue`), so postgres.js
 * sends them in a single write and the batch costs one round trip; the statements are fixed SQL text (arrays travel
 * as one jsonb parameter), so postgres.js prepares each once per connection.
 *
 * Order of statements: every statement goes through `tx.execute` and is started by `issue` in program order;
 * queries started on one transaction connection are sent and run in the order they were started (the same property
 * with-tenant.ts's pipelined start relies on; postgres.js queues them, PGlite runs them in call order).
 */
import { sql, type SQL } from "drizzle-orm";
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

/** Starts a (lazy) Drizzle query now: queries started one after another reach the connection in that order. */
function issue<T>(query: PromiseLike<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    query.then(resolve, reject);
  });
}

/** The tenant scope for the statements issued after it (with-tenant.ts's setting; the others stay empty). */
const tenantScope = (tenantId: string) => sql`select set_config('app.tenant_id', ${tenantId}, true)`;

function groupByTenant<T>(items: T[], tenantOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const tenantId = tenantOf(item);
    const group = groups.get(tenantId);
    if (group) group.push(item);
    else groups.set(tenantId, [item]);
  }
  return groups;
}

/** Per tenant: the scope, then that tenant's statement; answers each statement's rows, in the order of `groups`. */
async function perTenant<T>(tx: Tx, statements: [tenantId: string, statement: SQL][]): Promise<T[][]> {
  const pending: Promise<unknown>[] = [];
  const results: Promise<T[]>[] = [];
  for (const [tenantId, statement] of statements) {
    pending.push(issue(tx.execute(tenantScope(tenantId))));
    results.push(issue(tx.execute(statement)).then((r) => rowsOf<T>(r)));
  }
  const [, rows] = await Promise.all([Promise.all(pending), Promise.all(results)]);
  return rows;
}

const deliveryColumns = sql.raw(`d.id, d.tenant_id, d.webhook_id, d.event_id, d.event_type, d.order_key, d.status, d.attempts,
       d.created_at, w.url, w.enabled, w.secret_ciphertext, w.failing_since, e.data, e.created_at as event_created_at`);

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

/** One tenant's deliveries by id, joined with their endpoints and events. */
function selectDeliveries(tenantId: string, ids: string[]): SQL {
  return sql`select ${deliveryColumns}
      from webhook_deliveries d
      join webhook_endpoints w on w.tenant_id = d.tenant_id and w.id = d.webhook_id
      join webhook_events e on e.tenant_id = d.tenant_id and e.id = d.event_id
     where d.tenant_id = ${tenantId} and d.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`;
}

/**
 * Claims up to `room` due deliveries (`claim_webhook_deliveries`: every tenant's, leased for `leaseSeconds`) and
 * reads them with their endpoints and events: one transaction, two round trips.
 */
export async function claimDeliveries(db: DbHandle, room: number, leaseSeconds: number): Promise<DeliveryRow[]> {
  return withScope(db, {}, async (tx) => {
    const claimed = rowsOf<{ tenant_id: string; id: string }>(
      await tx.execute(sql`select tenant_id, id from claim_webhook_deliveries(${room}, ${leaseSeconds})`),
    );
    if (claimed.length === 0) return [];
    const groups = [...groupByTenant(claimed, (c) => c.tenant_id)];
    const rows = await perTenant<RawDeliveryRow>(
      tx,
      groups.map(([tenantId, cs]) => [tenantId, selectDeliveries(tenantId, cs.map((c) => c.id))]),
    );
    return rows.flat().map(deliveryRow);
  });
}

/** A delivery that reached its endpoint (2xx), to record. */
export interface Delivered {
  row: DeliveryRow;
  statusCode: number;
}

/**
 * Records successes (delivered, attempts, status code; the lease dropped) and, for each one with an order key,
 * leases the next pending delivery of that key to that endpoint if it is due and not leased, answering it (read
 * with its endpoint and event) — one transaction for all tenants, one statement per tenant, one round trip. Answers, per item, that next
 * delivery or undefined. The caller records a success whose endpoint was failing with `failingSince` cleared
 * elsewhere (this never writes the endpoint row).
 *
 * Queue locks (migration 0028): recording the first delivery of a queue as delivered hands `ready` to the next one
 * under the queue's advisory lock, which a transaction writing a new delivery of that queue holds until it commits.
 * The batch takes each queue's lock with pg_try_advisory_xact_lock, so it never waits (a wait while holding the
 * other queues' locks could deadlock with a writer of several queues, and would hold up every tenant's successes);
 * the few whose queue is busy at that moment are recorded afterwards, one transaction each, waiting for the lock,
 * while the next batches go on (their items answer a promise).
 */
export async function recordDelivered(
  db: DbHandle,
  items: Delivered[],
  leaseSeconds: number,
): Promise<(DeliveryRow | undefined | Promise<DeliveryRow | undefined>)[]> {
  const { next, busy } = await recordDeliveredBatch(db, items, leaseSeconds, "try");
  const later = new Map(busy.map((item) => [item, busyQueues.then(() => recordDeliveredBatch(db, [item], leaseSeconds, "wait"))]));
  // One busy queue at a time, after the others (each holds a pooled connection while it waits for a writer's commit),
  // and not in the way of the next batches: their callers get a promise of their next delivery.
  for (const p of later.values()) busyQueues = p.then(() => undefined, () => undefined);
  return items.map((i) => {
    const wait = later.get(i);
    if (wait) return wait.then((r) => r.next.get(queueOf(i.row)));
    return i.row.orderKey ? next.get(queueOf(i.row)) : undefined;
  });
}

/** The tail of the busy queues' transactions (one after another). */
let busyQueues: Promise<unknown> = Promise.resolve();

const queueOf = (r: { tenantId: string; webhookId: string; orderKey: string | null }) => `${r.tenantId}/${r.webhookId}/${r.orderKey}`;

async function recordDeliveredBatch(
  db: DbHandle,
  items: Delivered[],
  leaseSeconds: number,
  locks: "try" | "wait",
): Promise<{ next: Map<string, DeliveryRow>; busy: Delivered[] }> {
  const groups = [...groupByTenant(items, (i) => i.row.tenantId)];
  const statements: [string, SQL][] = [];
  for (const [tenantId, group] of groups) {
    const outcomes = group.map((i) => ({
      id: i.row.id,
      attempts: i.row.attempts + 1,
      status_code: i.statusCode,
      webhook_id: i.row.webhookId,
      order_key: i.row.orderKey,
    }));
    // "wait" (one item): the lock is taken by a statement of its own, before this one, so this statement's snapshot
    // sees the delivery that the lock's previous holder committed.
    const locked =
      locks === "try" ? sql`u.order_key is null or try_lock_webhook_queue(${tenantId}, u.webhook_id, u.order_key)` : sql`true`;
    if (locks === "wait") {
      for (const o of outcomes) {
        if (o.order_key) statements.push([tenantId, sql`select lock_webhook_queue(${tenantId}, ${o.webhook_id}, ${o.order_key})`]);
      }
    }
    // One statement per tenant: take the queues' locks, record the successes, then lease and read the head (lowest
    // seq still pending) of each order key, row-locked so the claim function cannot lease it meanwhile. Both parts
    // see the same snapshot, in which the deliveries just recorded are still pending: the head is looked for among
    // the others. (The trigger that hands `ready` to that head runs after the statement, with a fresh snapshot; if a
    // delivery committed between this statement's start and its lock, the trigger still sees it — only the lease
    // here misses it, and the claim sends it.) Answers the busy items' ids on every row, and a row per lease.
    statements.push([
      tenantId,
      sql`with u as materialized (
            select u.*, ${locked} as got
              from jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb)
                   as u(id uuid, attempts int, status_code int, webhook_id uuid, order_key uuid)
          ), recorded as (
            update webhook_deliveries d
               set status = 'delivered', attempts = u.attempts, last_status_code = u.status_code, last_error = null,
                   delivered_at = now(), lease_until = null
              from u
             where d.tenant_id = ${tenantId} and d.id = u.id and u.got
          ), keys as (
            select distinct webhook_id, order_key from u where got and order_key is not null order by 1, 2
          ), head as (
            select h.id, h.next_attempt_at, h.lease_until
              from keys cross join lateral (
                select id, next_attempt_at, lease_until from webhook_deliveries
                 where tenant_id = ${tenantId} and webhook_id = keys.webhook_id and order_key = keys.order_key
                   and status = 'pending' and id not in (select id from u)
                 order by seq limit 1
                 for update) h
          ), d as (
            -- The head is the first of its queue now: ready set here, with its lease, saves the trigger a second
            -- version of the row. (It is the queue's lowest pending seq even though this snapshot predates the lock:
            -- a delivery committed after the snapshot took the lock after this one's transaction, so a later seq.)
            update webhook_deliveries d set lease_until = now() + make_interval(secs => ${leaseSeconds}), ready = true
              from head
             where d.tenant_id = ${tenantId} and d.id = head.id
               and head.next_attempt_at <= now() and (head.lease_until is null or head.lease_until < now())
            returning d.*
          ), leased as (
            select ${deliveryColumns}
              from d
              join webhook_endpoints w on w.tenant_id = d.tenant_id and w.id = d.webhook_id
              join webhook_events e on e.tenant_id = d.tenant_id and e.id = d.event_id
          )
          select busy.ids as busy, leased.*
            from (select coalesce(jsonb_agg(id), '[]'::jsonb) as ids from u where not got) busy
            left join leased on true`,
    ]);
  }
  const results = await withScope(db, {}, (tx) => perTenant<Partial<RawDeliveryRow> & { busy: string[] | string | null }>(tx, statements));
  const next = new Map<string, DeliveryRow>();
  const busyIds = new Set<string>();
  for (const raw of results.flat()) {
    if (raw.busy) for (const id of typeof raw.busy === "string" ? (JSON.parse(raw.busy) as string[]) : raw.busy) busyIds.add(id);
    if (!raw.id) continue; // the row that answers only the busy ids (nothing leased)
    const row = deliveryRow(raw as RawDeliveryRow);
    next.set(queueOf(row), row);
  }
  return { next, busy: items.filter((i) => busyIds.has(i.row.id)) };
}
