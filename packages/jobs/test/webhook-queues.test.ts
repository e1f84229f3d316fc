// Webhook delivery queues (migrations 0028, 0031): deliveries of one engagement (call, lead) to one endpoint are a
// queue sent in commit order (the outbox records the event; the dispatchers' fan-out queues its deliveries). Only the
// first of each queue is `ready`, the one the dispatcher's claim may take. The flag is set when a delivery is queued
// and handed on when the first one stops being pending (delivered, failed for good, deleted), under a lock on the
// queue that closes the race between the two. Checked on the flag itself, on the claim, against concurrent
// transactions (PostgreSQL only: PGlite has one connection), and end to end through the dispatcher with retries and
// concurrent writers.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf, tenants, webhookEndpoints, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { fanOutWebhookEvents, recordDelivered } from "../src/webhooks/delivery-batches";
import { recordWebhookEvent } from "../src/webhooks/outbox";
import { startTestDispatcher } from "./dispatcher";
import { startReceiver } from "./receiver";
import { until } from "./until";

let t: TestDatabase;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
let base: string;
/** Arrivals per path: the event's `data.n` (commit order within its key) and its webhook-id. */
const arrivals = new Map<string, { key: string; n: number; id: string }[]>();
/** Answers 500 to the event `${key}/${n}` as many times as the count says. */
const failures = new Map<string, number>();

beforeAll(async () => {
  t = await createTestDatabase();
  receiver = await startReceiver((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const id = req.headers["webhook-id"] as string;
      const { data } = JSON.parse(body) as { data: { key: string; n: number } };
      const left = failures.get(`${data.key}/${data.n}`) ?? 0;
      const list = arrivals.get(req.url ?? "") ?? [];
      arrivals.set(req.url ?? "", list);
      list.push({ key: data.key, n: data.n, id });
      if (left > 0) {
        failures.set(`${data.key}/${data.n}`, left - 1);
        res.writeHead(500).end();
      } else res.writeHead(204).end();
    });
  });
  base = receiver.base;
});
afterAll(async () => {
  await receiver?.close();
  await t?.close();
});

let tenantNo = 0;
async function tenantWithEndpoint(path: string) {
  const tenantId = randomUUID();
  const webhookId = randomUUID();
  await t.owner.db.insert(tenants).values({ id: tenantId, slug: `queue-co-${++tenantNo}`, name: `Queue ${tenantNo}` });
  await t.owner.db
    .insert(webhookEndpoints)
    .values({ tenantId, id: webhookId, url: `${base}${path}`, events: ["message.created", "ping"], secretCiphertext: "whsec_dGVzdA==" });
  return { tenantId, webhookId };
}

/** One event through the real outbox, as the app role in the tenant's scope: one transaction. */
function recordEvent(tenantId: string, key: string | null, n: number) {
  return withScope(t.app, { tenantId }, (tx) => recordWebhookEvent(tx, tenantId, { type: "message.created", orderKey: key, data: { key, n } }));
}

/** One event, then the fan-out that queues its delivery (as the dispatcher does before each claim). */
async function record(tenantId: string, key: string | null, n: number) {
  await recordEvent(tenantId, key, n);
  await fanOutWebhookEvents(t.app);
}

interface QueueRow {
  id: string;
  status: string;
  ready: boolean;
  n: number;
}
/** A queue's deliveries in `seq` order (as the owner). */
async function queue(tenantId: string, key: string | null): Promise<QueueRow[]> {
  const result = await t.owner.db.execute(sql`
    select d.id, d.status, d.ready, (e.data->>'n')::int as n
      from webhook_deliveries d join webhook_events e on e.tenant_id = d.tenant_id and e.id = d.event_id
     where d.tenant_id = ${tenantId} and d.order_key is not distinct from ${key}::uuid
     order by d.seq`);
  return rowsOf<QueueRow>(result);
}

/** Sets a delivery's status as the dispatcher would, as the app role in the tenant's scope. */
function setStatus(tenantId: string, id: string, status: "delivered" | "failed") {
  return withScope(t.app, { tenantId }, (tx) => tx.execute(sql`update webhook_deliveries set status = ${status} where id = ${id}`));
}

async function claim(max = 50): Promise<{ tenant_id: string; id: string }[]> {
  return withScope(t.app, {}, async (tx) =>
    rowsOf<{ tenant_id: string; id: string }>(await tx.execute(sql`select tenant_id, id from claim_webhook_deliveries(${max}, 30)`)),
  );
}

/** Frees every lease (the claim tests claim what is due; the next test starts from no lease). */
const dropLeases = () => t.owner.db.execute(sql`update webhook_deliveries set lease_until = null`);

describe("the first delivery of each queue is ready, and only it", () => {
  it("marks the first of a queue ready on insert and hands the flag on when it is delivered, failed or deleted", async () => {
    const { tenantId } = await tenantWithEndpoint("/flags");
    const [a, b] = [randomUUID(), randomUUID()];
    for (let n = 0; n < 4; n++) await record(tenantId, a, n);
    await record(tenantId, b, 0);
    await record(tenantId, null, 0);
    await record(tenantId, null, 1);
    expect((await queue(tenantId, a)).map((r) => [r.n, r.ready])).toEqual([[0, true], [1, false], [2, false], [3, false]]);
    expect((await queue(tenantId, b)).map((r) => r.ready)).toEqual([true]);
    expect((await queue(tenantId, null)).map((r) => r.ready)).toEqual([true, true]); // unordered: always ready

    const [q0, q1, q2] = await queue(tenantId, a);
    await setStatus(tenantId, q0!.id, "delivered");
    expect((await queue(tenantId, a)).map((r) => [r.n, r.status, r.ready])).toEqual([
      [0, "delivered", true],
      [1, "pending", true],
      [2, "pending", false],
      [3, "pending", false],
    ]);
    // A waiting one that goes (an erased event's delivery) hands nothing on.
    await withScope(t.app, { tenantId }, (tx) => tx.execute(sql`delete from webhook_deliveries where id = ${q2!.id}`));
    expect((await queue(tenantId, a)).filter((r) => r.status === "pending").map((r) => [r.n, r.ready])).toEqual([[1, true], [3, false]]);
    // Failed for good: the next one goes.
    await setStatus(tenantId, q1!.id, "failed");
    expect((await queue(tenantId, a)).filter((r) => r.status === "pending").map((r) => [r.n, r.ready])).toEqual([[3, true]]);
    // Deleted while first (its event erased): the next one goes.
    await record(tenantId, a, 4);
    const [head] = (await queue(tenantId, a)).filter((r) => r.status === "pending");
    await withScope(t.app, { tenantId }, (tx) => tx.execute(sql`delete from webhook_deliveries where id = ${head!.id}`));
    expect((await queue(tenantId, a)).filter((r) => r.status === "pending").map((r) => [r.n, r.ready])).toEqual([[4, true]]);
    // A queue emptied and started again: its new first delivery is ready at once.
    await setStatus(tenantId, (await queue(tenantId, b))[0]!.id, "delivered");
    await record(tenantId, b, 1);
    expect((await queue(tenantId, b)).map((r) => [r.n, r.status, r.ready])).toEqual([
      [0, "delivered", true],
      [1, "pending", true],
    ]);
  });

  it("claims only the first of each queue; a retry (pending, due later) stays first and holds its queue", async () => {
    await dropLeases();
    await t.owner.db.execute(sql`update webhook_deliveries set status = 'delivered' where status = 'pending'`);
    const { tenantId } = await tenantWithEndpoint("/claims");
    const [a, b] = [randomUUID(), randomUUID()];
    for (let n = 0; n < 3; n++) await record(tenantId, a, n);
    for (let n = 0; n < 2; n++) await record(tenantId, b, n);
    const [a0] = await queue(tenantId, a);
    const [b0] = await queue(tenantId, b);
    expect(new Set((await claim()).map((c) => c.id))).toEqual(new Set([a0!.id, b0!.id]));
    // a0 failed once: pending again, due in a minute; b0 delivered.
    await withScope(t.app, { tenantId }, (tx) =>
      tx.execute(sql`update webhook_deliveries set attempts = 1, lease_until = null, next_attempt_at = now() + interval '1 minute' where id = ${a0!.id}`),
    );
    await setStatus(tenantId, b0!.id, "delivered");
    const claimed = await claim();
    expect(claimed.map((c) => c.id)).toEqual([(await queue(tenantId, b))[1]!.id]);
    expect((await queue(tenantId, a)).map((r) => r.ready)).toEqual([true, false, false]);
    // Due again: the retry is claimed, and still nothing behind it.
    await t.owner.db.execute(sql`update webhook_deliveries set next_attempt_at = now() where id = ${a0!.id}`);
    expect((await claim()).map((c) => c.id)).toEqual([a0!.id]);
  });
});

describe.runIf(process.env.SB_TEST_DATABASE_URL)("a delivery queued while the first of its queue completes (concurrent transactions)", () => {
  let app: postgres.Sql;
  beforeAll(() => {
    app = postgres(t.appUrl!, { max: 4, onnotice: () => {} });
  });
  afterAll(() => app?.end({ timeout: 5 }));

  /** A transaction as the app role in the tenant's scope on a connection of its own, open until `commit()`. */
  async function openTransaction(tenantId: string) {
    const conn = await app.reserve();
    await conn`begin`;
    await conn`select set_config('app.tenant_id', ${tenantId}, true)`;
    return {
      run: <T>(fn: (tx: postgres.Sql) => Promise<T>) => fn(conn),
      async commit() {
        await conn`commit`;
        conn.release();
      },
    };
  }

  const insertDelivery = (tx: postgres.Sql, tenantId: string, webhookId: string, key: string, n: number) =>
    tx`with e as (insert into webhook_events (tenant_id, type, data) values (${tenantId}, 'message.created', ${tx.json({ key, n })}) returning id)
       insert into webhook_deliveries (tenant_id, webhook_id, event_id, event_type, order_key)
       select ${tenantId}, ${webhookId}, e.id, 'message.created', ${key} from e`;
  const settled = (p: Promise<unknown>) => Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), 300))]);

  it("two events of one key: the second waits for the first's commit, and the fan-out queues them in commit order", async () => {
    const { tenantId } = await tenantWithEndpoint("/race-0");
    const key = randomUUID();
    let commitFirst!: () => void;
    const firstOpen = new Promise<void>((resolve) => (commitFirst = resolve));
    let recorded!: () => void;
    const firstRecorded = new Promise<void>((resolve) => (recorded = resolve));
    const first = withScope(t.app, { tenantId }, async (tx) => {
      await recordWebhookEvent(tx, tenantId, { type: "message.created", orderKey: key, data: { key, n: 0 } });
      recorded();
      await firstOpen;
    });
    await firstRecorded;
    const second = recordEvent(tenantId, key, 1);
    expect(await settled(second)).toBe(false); // waits for the key's lock, held until the first commits
    expect(await fanOutWebhookEvents(t.app)).toBe(0); // nothing committed yet
    commitFirst();
    await Promise.all([first, second]);
    expect(await fanOutWebhookEvents(t.app)).toBe(2);
    expect((await queue(tenantId, key)).map((r) => [r.n, r.status, r.ready])).toEqual([
      [0, "pending", true],
      [1, "pending", false],
    ]);
  });

  it("insert first: the completion waits for the insert's commit, then hands the flag to it", async () => {
    const { tenantId, webhookId } = await tenantWithEndpoint("/race-1");
    const key = randomUUID();
    await record(tenantId, key, 0);
    const [head] = await queue(tenantId, key);
    const writer = await openTransaction(tenantId);
    await writer.run((tx) => insertDelivery(tx, tenantId, webhookId, key, 1)); // sees the head pending: not ready
    const completer = await openTransaction(tenantId);
    const completing = completer.run((tx) => tx`update webhook_deliveries set status = 'delivered' where id = ${head!.id}`);
    expect(await settled(completing)).toBe(false); // waits for the queue's lock
    await writer.commit();
    await completing;
    await completer.commit();
    expect((await queue(tenantId, key)).map((r) => [r.n, r.status, r.ready])).toEqual([
      [0, "delivered", true],
      [1, "pending", true],
    ]);
  });

  it("completion first: the insert waits for the completion's commit, then finds the queue empty and is ready", async () => {
    const { tenantId, webhookId } = await tenantWithEndpoint("/race-2");
    const key = randomUUID();
    await record(tenantId, key, 0);
    const [head] = await queue(tenantId, key);
    const completer = await openTransaction(tenantId);
    await completer.run((tx) => tx`update webhook_deliveries set status = 'delivered' where id = ${head!.id}`); // no successor yet
    const writer = await openTransaction(tenantId);
    const inserting = writer.run((tx) => insertDelivery(tx, tenantId, webhookId, key, 1));
    expect(await settled(inserting)).toBe(false);
    await completer.commit();
    await inserting;
    await writer.commit();
    expect((await queue(tenantId, key)).map((r) => [r.n, r.status, r.ready])).toEqual([
      [0, "delivered", true],
      [1, "pending", true],
    ]);
  });

  it("the dispatcher's batch does not wait on a busy queue: the others are recorded at once, the busy one after the writer commits, without holding up the batch", async () => {
    const { tenantId, webhookId } = await tenantWithEndpoint("/race-3");
    const [busyKey, freeKey] = [randomUUID(), randomUUID()];
    await record(tenantId, busyKey, 0);
    await record(tenantId, freeKey, 0);
    await record(tenantId, freeKey, 1);
    const [busyHead] = await queue(tenantId, busyKey);
    const [freeHead] = await queue(tenantId, freeKey);
    const writer = await openTransaction(tenantId);
    await writer.run((tx) => insertDelivery(tx, tenantId, webhookId, busyKey, 1)); // holds busyKey's lock
    const rowOf = (id: string, orderKey: string) =>
      ({ id, tenantId, webhookId, orderKey, attempts: 0 }) as Parameters<typeof recordDelivered>[1][number]["row"];
    const [busyRecorded, freeRecorded] = await recordDelivered(t.app, [
      { row: rowOf(busyHead!.id, busyKey), statusCode: 204 },
      { row: rowOf(freeHead!.id, freeKey), statusCode: 204 },
    ]);
    expect(freeRecorded).toBeUndefined(); // recorded with the batch
    expect(await settled(Promise.resolve(busyRecorded))).toBe(false);
    // The free queue's success is committed while the busy one waits; its next delivery is ready for the claim.
    expect((await queue(tenantId, freeKey)).map((r) => [r.n, r.status, r.ready])).toEqual([
      [0, "delivered", true],
      [1, "pending", true],
    ]);
    expect((await queue(tenantId, busyKey)).map((r) => r.status)).toEqual(["pending"]);
    await writer.commit();
    await busyRecorded;
    expect((await queue(tenantId, busyKey)).map((r) => [r.n, r.status, r.ready])).toEqual([
      [0, "delivered", true],
      [1, "pending", true],
    ]);
  });

  it("frees a delivery's slot when its endpoint answers: the next are sent while its success waits to be recorded", async () => {
    await dropLeases();
    await t.owner.db.execute(sql`update webhook_deliveries set status = 'delivered' where status = 'pending'`);
    const { tenantId, webhookId } = await tenantWithEndpoint("/slot");
    const busyKey = randomUUID();
    const otherKeys = [randomUUID(), randomUUID(), randomUUID()];
    await record(tenantId, busyKey, 0); // queued first: the first claimed
    for (const key of otherKeys) await record(tenantId, key, 0);
    // A writer queues a delivery of the first one's queue and holds the queue's lock: the first one's success has to
    // wait for the writer's commit.
    const writer = await openTransaction(tenantId);
    await writer.run((tx) => insertDelivery(tx, tenantId, webhookId, busyKey, 1));
    const dispatcher = await startTestDispatcher(t.app, { concurrency: 1 });
    try {
      // One request at a time, and all four are sent while the first one's success is still waiting.
      const sent = await until(async () => (arrivals.get("/slot")?.length ?? 0) >= 4 && arrivals.get("/slot")!, 10_000);
      expect(sent.map((a) => a.key)).toEqual([busyKey, ...otherKeys]);
      expect((await queue(tenantId, busyKey)).map((r) => r.status)).toEqual(["pending"]);
      await writer.commit();
      // Then it is recorded, and the writer's delivery, next in its queue, is sent.
      await until(async () => (await queue(tenantId, busyKey)).map((r) => r.status).join() === "delivered,delivered");
    } finally {
      await dispatcher.stop(2000);
    }
  });
});

it("sends each engagement's events in commit order through retries, with concurrent writers, none lost", async () => {
  await dropLeases();
  await t.owner.db.execute(sql`update webhook_deliveries set status = 'delivered' where status = 'pending'`);
  const endpoints = await Promise.all([tenantWithEndpoint("/e2e-0"), tenantWithEndpoint("/e2e-1"), tenantWithEndpoint("/e2e-2")]);
  const keys = endpoints.map(() => [randomUUID(), randomUUID()]);
  const perKey = 12;
  const dispatcher = await startTestDispatcher(t.app, { backoffMs: () => 100 });
  try {
    // One writer per engagement (as the engagement's row lock makes it), all at once, while the dispatcher sends.
    // The third event of every first engagement fails twice before it is accepted.
    for (const k of keys) failures.set(`${k[0]}/2`, 2);
    await Promise.all(
      endpoints.flatMap((e, i) =>
        keys[i]!.map(async (key) => {
          for (let n = 0; n < perKey; n++) await recordEvent(e.tenantId, key, n);
        }),
      ),
    );
    const expected = endpoints.length * 2 * perKey;
    const distinct = () => new Set(endpoints.flatMap((_, i) => (arrivals.get(`/e2e-${i}`) ?? []).map((a) => a.id))).size;
    const end = Date.now() + 20_000;
    while (distinct() < expected && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(distinct()).toBe(expected);
  } finally {
    await dispatcher.stop(2000);
  }
  for (const [i] of endpoints.entries()) {
    const got = arrivals.get(`/e2e-${i}`)!;
    for (const [k, key] of keys[i]!.entries()) {
      // Arrivals of the key: each event, repeated only as a retry of the same one (never after a later one).
      const ns = got.filter((a) => a.key === key).map((a) => a.n);
      const firsts = ns.filter((n, j) => j === 0 || ns[j - 1] !== n);
      expect(firsts).toEqual(Array.from({ length: perKey }, (_, n) => n));
      expect(ns.length).toBe(perKey + (k === 0 ? 2 : 0));
    }
  }
  // Every delivery logged as delivered (the last successes are committed just after their answers).
  const open = async () =>
    rowsOf<{ n: number }>(
      await t.owner.db.execute(
        sql`select count(*)::int as n from webhook_deliveries where status <> 'delivered'
             and tenant_id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(endpoints.map((e) => e.tenantId))}::jsonb))`,
      ),
    )[0]!.n;
  await expect.poll(open, { timeout: 5000 }).toBe(0);
});
