// Keys ready to distribute by tenant (Citus, see the README): every table with a tenant_id column has a primary key
// whose first column is tenant_id, and every foreign key between two such tables includes tenant_id on both sides
// (a distributed table may only reference another one through the distribution column).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../src/testing/index";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const rowsOf = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as T[];

/**
 * Tables with tenant_id that are not distributed, and why. email_outbox also queues platform mail (tenant_id
 * null), which a distribution column cannot hold: it stays a coordinator-local table.
 */
const notDistributed = ["email_outbox"];

describe("keys ready to distribute by tenant_id", () => {
  it("every table with a tenant_id column has a primary key starting with tenant_id", async () => {
    const rows = rowsOf<{ table: string; key: string[] | null }>(
      await t.owner.db.execute(sql`
        select c.relname as "table",
          (select array_agg(a.attname::text order by k.ord)
             from pg_constraint p, unnest(p.conkey) with ordinality k(attnum, ord)
             join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
            where p.conrelid = c.oid and p.contype = 'p') as key
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p')
          and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)
        order by 1`),
    );
    const tables = rows.map((r) => r.table);
    // The domain tables and the tenancy tables are all there (the query did not silently match nothing).
    for (const name of ["agents", "calls", "leads", "engagements", "engagement_events", "memberships", "api_keys", "audit_log"]) {
      expect(tables).toContain(name);
    }
    for (const { table, key } of rows.filter((r) => !notDistributed.includes(r.table))) {
      expect(key?.[0], `${table} primary key ${JSON.stringify(key)}`).toBe("tenant_id");
    }
  });

  it("foreign keys between tenant tables include tenant_id on both sides", async () => {
    const rows = rowsOf<{ name: string; from: string[]; to: string[] }>(
      await t.owner.db.execute(sql`
        select f.conname as name,
          (select array_agg(a.attname::text) from unnest(f.conkey) k(n) join pg_attribute a on a.attrelid = f.conrelid and a.attnum = k.n) as "from",
          (select array_agg(a.attname::text) from unnest(f.confkey) k(n) join pg_attribute a on a.attrelid = f.confrelid and a.attnum = k.n) as "to"
        from pg_constraint f
        join pg_class c on c.oid = f.conrelid join pg_namespace n on n.oid = c.relnamespace
        where f.contype = 'f' and n.nspname = 'public'
          and exists (select 1 from pg_attribute a where a.attrelid = f.conrelid and a.attname = 'tenant_id')
          and exists (select 1 from pg_attribute a where a.attrelid = f.confrelid and a.attname = 'tenant_id')
        order by 1`),
    );
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(["calls_agent_fk", "engagement_events_engagement_fk"]));
    for (const r of rows) {
      expect(r.from, r.name).toContain("tenant_id");
      expect(r.to[r.from.indexOf("tenant_id")], r.name).toBe("tenant_id");
    }
  });
});
