// Migration 0028 on deliveries queued before it (every one `ready` by the column's default): the online step marks
// the waiting ones of each queue not ready and leaves the first; the claim takes only the first of each queue
// meanwhile; the due index is the one on ready deliveries.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../src/migrate";
import { createTestDatabase, type TestDatabase } from "../src/testing/index";

let t: TestDatabase;
const rowsOf = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as T[];
const q = async <T = Record<string, unknown>>(query: ReturnType<typeof sql>) => rowsOf<T>(await t.owner.db.execute(query));

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

describe.runIf(process.env.SB_TEST_DATABASE_URL)("migration 0028 (webhook queue heads) on deliveries queued before it", () => {
  it("builds the due index on ready deliveries and drops the one on all pending deliveries", async () => {
    const indexes = await q<{ name: string; valid: boolean }>(sql`
      select c.relname as name, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
       where c.relname in ('webhook_deliveries_ready_idx', 'webhook_deliveries_due_idx')`);
    expect(indexes).toEqual([{ name: "webhook_deliveries_ready_idx", valid: true }]);
  });

  it("marks the waiting deliveries of each queue not ready, one queue at a time; the claim took only the first meanwhile", async () => {
    const tenant = crypto.randomUUID();
    const hook = crypto.randomUUID();
    const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
    await q(sql`insert into tenants (id, slug, name) values (${tenant}, 'queue-heads', 'Queue heads')`);
    await q(sql`insert into webhook_endpoints (tenant_id, id, url, events, secret_ciphertext) values (${tenant}, ${hook}, 'https://hooks.example.com/in', '{message.created}', 'sealed')`);
    await q(sql`insert into webhook_events (tenant_id, id, type, data) values (${tenant}, ${tenant}, 'message.created', '{}')`);
    for (const key of [a, a, a, b, b, null]) {
      await q(sql`insert into webhook_deliveries (tenant_id, webhook_id, event_id, event_type, order_key) values (${tenant}, ${hook}, ${tenant}, 'message.created', ${key}::uuid)`);
    }
    // As the release before 0028 left them: no flag written, so the default (ready) on every one.
    await q(sql`update webhook_deliveries set ready = true where tenant_id = ${tenant}`);
    const claimed = await q<{ id: string }>(sql`select id from claim_webhook_deliveries(50, 30)`);
    const heads = await q<{ id: string }>(sql`
      select distinct on (order_key) id from webhook_deliveries where tenant_id = ${tenant} order by order_key, seq`);
    expect(new Set(claimed.map((c) => c.id))).toEqual(new Set(heads.map((h) => h.id)));

    await q(sql`delete from drizzle.switchboard_online_migrations where name = '0028-webhook-queue-heads'`);
    await migrate(t.ownerUrl!);
    const flags = await q<{ key: string | null; ready: boolean }>(sql`
      select order_key as key, ready from webhook_deliveries where tenant_id = ${tenant} order by order_key nulls last, seq`);
    expect(flags).toEqual([
      ...([a, b].sort() as [string, string]).flatMap((key) => (key === a ? [true, false, false] : [true, false]).map((ready) => ({ key, ready }))),
      { key: null, ready: true },
    ]);
  });
});
