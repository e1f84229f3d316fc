// The dispatcher's batched statements (src/webhooks/delivery-batches.ts, migration 0030): one statement claims and
// reads, one records, deliveries of many tenants, each tenant's part as the app role in that tenant's RLS scope. Three tenants' endpoints get their own events only
// (path and signature per tenant), every delivery exactly once, each engagement's in commit order.
import { createHmac, randomUUID } from "node:crypto";
import { count, sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { rowsOf, tenants as tenantsTable, type Tx, webhookDeliveries, webhookEndpoints, webhookEvents, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { startTestDispatcher } from "./dispatcher";
import { startReceiver } from "./receiver";

let t: TestDatabase;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
let base: string;
const received: { path: string; id: string; signature: string; timestamp: string; body: string }[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  receiver = await startReceiver((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const h = req.headers as Record<string, string>;
      received.push({ path: req.url ?? "", id: h["webhook-id"]!, signature: h["webhook-signature"]!, timestamp: h["webhook-timestamp"]!, body });
      res.writeHead(204).end();
    });
  });
  base = receiver.base;
});
afterAll(async () => {
  await receiver?.close();
  await t?.close();
});

it("delivers many tenants' events through shared transactions, each to its own endpoint, in order per engagement", async () => {
  const tenants = Array.from({ length: 3 }, (_, i) => ({
    id: randomUUID(),
    webhookId: randomUUID(),
    secret: `whsec_${Buffer.alloc(32, i + 1).toString("base64")}`,
    keys: [randomUUID(), randomUUID()],
  }));
  const expected = new Map<string, { tenant: number; key: string; n: number }>();
  const db = t.owner.db;
  for (const [i, tn] of tenants.entries()) {
    await db.insert(tenantsTable).values({ id: tn.id, slug: `batch-co-${i}`, name: `Batch ${i}` });
    // The test's secret box stores the secret as is.
    await db.insert(webhookEndpoints).values({ tenantId: tn.id, id: tn.webhookId, url: `${base}/t${i}`, events: ["message.created"], secretCiphertext: tn.secret });
  }
  // Interleaved across tenants and keys, as commits would arrive: n is the commit order within a key.
  for (let n = 0; n < 8; n++) {
    for (const [i, tn] of tenants.entries()) {
      for (const key of tn.keys) {
        const eventId = randomUUID();
        expected.set(eventId, { tenant: i, key, n });
        await db.insert(webhookEvents).values({ tenantId: tn.id, id: eventId, type: "message.created", data: { key, n } });
        await db.insert(webhookDeliveries).values({ tenantId: tn.id, webhookId: tn.webhookId, eventId, eventType: "message.created", orderKey: key });
      }
    }
  }

  const dispatcher = await startTestDispatcher(t.app, { concurrency: 4 });
  try {
    const end = Date.now() + 20_000;
    while (received.length < expected.size && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await dispatcher.stop(2000);
  }

  expect(received).toHaveLength(expected.size);
  expect(new Set(received.map((r) => r.id)).size).toBe(expected.size);
  const lastN = new Map<string, number>();
  for (const r of received) {
    const e = expected.get(r.id)!;
    const tn = tenants[e.tenant]!;
    expect(r.path).toBe(`/t${e.tenant}`);
    const key = Buffer.from(tn.secret.slice("whsec_".length), "base64");
    expect(r.signature).toBe(`v1,${createHmac("sha256", key).update(`${r.id}.${r.timestamp}.${r.body}`).digest("base64")}`);
    expect((JSON.parse(r.body) as { data: unknown }).data).toEqual({ key: e.key, n: e.n });
    expect(e.n).toBe((lastN.get(e.key) ?? -1) + 1);
    lastN.set(e.key, e.n);
  }
  const rows = await t.owner.db
    .select({ status: webhookDeliveries.status, attempts: webhookDeliveries.attempts, n: count() })
    .from(webhookDeliveries)
    .groupBy(webhookDeliveries.status, webhookDeliveries.attempts);
  expect(rows).toEqual([{ status: "delivered", attempts: 1, n: expected.size }]);
});

it("runs each tenant's part of a batch in that tenant's scope: a delivery named with another tenant is neither read nor recorded", async () => {
  const [a, b] = [randomUUID(), randomUUID()];
  const ids: Record<string, { hook: string; event: string; delivery: string }> = {};
  for (const [i, tenantId] of [a, b].entries()) {
    const row = { hook: randomUUID(), event: randomUUID(), delivery: randomUUID() };
    ids[tenantId] = row;
    await t.owner.db.insert(tenantsTable).values({ id: tenantId, slug: `batch-scope-${i}`, name: `Scope ${i}` });
    await t.owner.db.insert(webhookEndpoints).values({ tenantId, id: row.hook, url: `${base}/s${i}`, events: ["message.created"], secretCiphertext: "s" });
    await t.owner.db.insert(webhookEvents).values({ tenantId, id: row.event, type: "message.created", data: { i } });
    await t.owner.db.insert(webhookDeliveries).values({ tenantId, id: row.delivery, webhookId: row.hook, eventId: row.event, eventType: "message.created" });
  }
  const bd = ids[b]!;
  const outcome = (tenantId: string) => ({ tenant_id: tenantId, id: bd.delivery, attempts: 1, status_code: 200, webhook_id: bd.hook, order_key: null });
  const rows = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as T[];
  const status = async () =>
    rows<{ status: string }>(await t.owner.db.execute(sql`select status from webhook_deliveries where id = ${bd.delivery}`))[0]!.status;

  await withScope(t.app, { tenantId: a }, async (tx) => {
    // B's delivery named with A: nothing; with B: read, as the app role in B's scope.
    const read = rows<{ id: string; tenant_id: string }>(
      await tx.execute(sql`select id, tenant_id from webhook_deliveries_to_send(${JSON.stringify([{ tenant_id: a, id: bd.delivery }])}::jsonb)`),
    );
    expect(read).toEqual([]);
    const readB = rows<{ id: string; tenant_id: string }>(
      await tx.execute(sql`select id, tenant_id from webhook_deliveries_to_send(${JSON.stringify([{ tenant_id: b, id: bd.delivery }])}::jsonb)`),
    );
    expect(readB).toEqual([{ id: bd.delivery, tenant_id: b }]);
    await tx.execute(sql`select * from record_webhook_deliveries_sent(${JSON.stringify([outcome(a)])}::jsonb, false)`);
    // The caller's scope is back: A's rows only.
    const scope = rows<{ scope: string }>(await tx.execute(sql`select current_setting('app.tenant_id') as scope`));
    expect(scope).toEqual([{ scope: a }]);
    const visible = rows<{ tenant_id: string }>(await tx.execute(sql`select distinct tenant_id from webhook_deliveries where tenant_id in (${a}, ${b})`));
    expect(visible).toEqual([{ tenant_id: a }]);
  });
  expect(await status()).toBe("pending");
  await withScope(t.app, {}, (tx) => tx.execute(sql`select * from record_webhook_deliveries_sent(${JSON.stringify([outcome(b)])}::jsonb, false)`));
  expect(await status()).toBe("delivered");
});

it("finds a batch's rows by key, not among the tenant's rows, even with statistics from when the tables were small", async () => {
  // A tenant whose history grew after the last ANALYZE (a new install, a tenant that just started sending): the
  // statistics say the tables are nearly empty. A batch must still touch its own rows only; reading all of the
  // tenant's made every batch slower as the history grew (migration 0032).
  const tenantId = randomUUID();
  const hook = randomUUID();
  await t.owner.db.insert(tenantsTable).values({ id: tenantId, slug: "batch-history", name: "History" });
  await t.owner.db.insert(webhookEndpoints).values({ tenantId, id: hook, url: `${base}/h`, events: ["message.created"], secretCiphertext: "s" });
  await t.owner.db.execute(sql`analyze webhook_events; analyze webhook_deliveries`);
  const history = 5000;
  await t.owner.db.execute(sql`
    with e as (
      insert into webhook_events (tenant_id, type, data) select ${tenantId}, 'message.created', '{}' from generate_series(1, ${history})
      returning tenant_id, id)
    insert into webhook_deliveries (tenant_id, webhook_id, event_id, event_type, status) select tenant_id, ${hook}, id, 'message.created', 'delivered' from e`);
  const batch = Array.from({ length: 20 }, () => ({ event: randomUUID(), delivery: randomUUID() }));
  for (const b of batch) {
    await t.owner.db.insert(webhookEvents).values({ tenantId, id: b.event, type: "message.created", data: {} });
    await t.owner.db.insert(webhookDeliveries).values({ tenantId, id: b.delivery, webhookId: hook, eventId: b.event, eventType: "message.created" });
  }
  /** Rows read from each webhook table by this connection since its counters were last flushed (sequential and index
   * scans, bitmap ones included). */
  const tuplesRead = async (tx: Tx) =>
    new Map(
      rowsOf<{ relname: string; n: string }>(
        await tx.execute(sql`select relname, coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) as n
                               from pg_stat_xact_user_tables where relname in ('webhook_events', 'webhook_deliveries')`),
      ).map((r) => [r.relname, Number(r.n)]),
    );
  /** Runs `statement` as the app role in a transaction of its own, as the dispatcher does: its answer, and the rows
   * it read from webhook_deliveries and webhook_events. */
  const measured = <T>(statement: (tx: Tx) => Promise<T>) =>
    withScope(t.app, {}, async (tx) => {
      const before = await tuplesRead(tx);
      const answer = await statement(tx);
      const after = await tuplesRead(tx);
      const read = (table: string) => (after.get(table) ?? 0) - (before.get(table) ?? 0);
      return { answer, deliveries: read("webhook_deliveries"), events: read("webhook_events") };
    });
  const claimed = JSON.stringify(batch.map((b) => ({ tenant_id: tenantId, id: b.delivery })));
  const outcomes = JSON.stringify(batch.map((b) => ({ tenant_id: tenantId, id: b.delivery, attempts: 1, status_code: 200, webhook_id: hook, order_key: null })));
  // Each statement in a transaction of its own, as the dispatcher runs them; several times, past plpgsql's switch to
  // a generic plan (after five calls).
  for (let round = 0; round < 7; round++) {
    const read = await measured(async (tx) => rowsOf<{ id: string }>(await tx.execute(sql`select id from webhook_deliveries_to_send(${claimed}::jsonb)`)));
    expect(read.answer.length).toBe(batch.length);
    expect(read.deliveries).toBeLessThanOrEqual(4 * batch.length);
    expect(read.events).toBeLessThanOrEqual(4 * batch.length);
  }
  for (let round = 0; round < 7; round++) {
    await t.owner.db.execute(sql`update webhook_deliveries set status = 'pending' where tenant_id = ${tenantId} and status = 'delivered' and id in (${sql.join(
      batch.map((b) => sql`${b.delivery}`),
      sql`, `,
    )})`);
    const read = await measured((tx) => tx.execute(sql`select * from record_webhook_deliveries_sent(${outcomes}::jsonb, false)`));
    expect(read.deliveries).toBeLessThanOrEqual(4 * batch.length);
  }
  const delivered = rowsOf<{ n: string }>(
    await t.owner.db.execute(sql`select count(*) as n from webhook_deliveries where tenant_id = ${tenantId} and status = 'delivered'`),
  );
  expect(Number(delivered[0]!.n)).toBe(history + batch.length);
});

it("opens an endpoint secret once per minute, never answers a new sealed value from the cache, caches no failure", async () => {
  const { openedSecrets } = await import("../src/webhooks/opened-secrets");
  const opened: string[] = [];
  let now = 1_000_000;
  const realNow = Date.now;
  Date.now = () => now;
  try {
    const s = openedSecrets({
      open(sealed, context) {
        opened.push(sealed);
        if (sealed === "bad") throw new Error("tampered");
        return `${sealed}@${context}`;
      },
    });
    expect(s.open("a", "webhook:t:1")).toBe("a@webhook:t:1");
    expect(s.open("a", "webhook:t:1")).toBe("a@webhook:t:1");
    expect(s.open("a", "webhook:t:2")).toBe("a@webhook:t:2");
    expect(s.open("b", "webhook:t:1")).toBe("b@webhook:t:1");
    expect(() => s.open("bad", "webhook:t:1")).toThrow("tampered");
    expect(() => s.open("bad", "webhook:t:1")).toThrow("tampered");
    now += 60_001;
    s.open("a", "webhook:t:1");
    expect(opened).toEqual(["a", "a", "b", "bad", "bad", "a"]);
  } finally {
    Date.now = realNow;
  }
});
