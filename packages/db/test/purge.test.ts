// The owner's purge function (migrations/0024 `purge_tenant_batch`), called as the app role the way the purge job
// calls it: an archived tenant past its grace period is gone from every table after its batches, another tenant is
// untouched, a live tenant or one within its grace period is refused (SQLSTATE 55000), an organisation waits for its
// departments. Its table list covers every table with a tenant_id (read from the catalog and the function's own
// source), leaves before what they reference. And it works when the owner is an ordinary role bound by FORCE RLS.
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenants, rowsOf, tenants, withScope } from "../src/index";
import { createTestDatabase, rejectionCode, type TestDatabase } from "../src/testing";
import { createManagedOwnerDatabase, type ManagedOwnerDatabase } from "./managed-owner-database";

const real = Boolean(process.env.SB_TEST_DATABASE_URL);
let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

/** Every public table with a tenant_id column. */
async function tenantTables(): Promise<string[]> {
  const rows = rowsOf<{ table_name: string }>(
    await t.owner.db.execute(sql`
      select c.table_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and c.column_name = 'tenant_id' and t.table_type = 'BASE TABLE'
      order by 1`),
  );
  return rows.map((r) => r.table_name);
}

/** The tenant's rows per table, counted as the owner. */
async function rowsPerTable(tenantId: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of await tenantTables()) {
    const [row] = rowsOf<{ n: number }>(await t.owner.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)} where tenant_id = ${tenantId}`));
    out[table] = row!.n;
  }
  return out;
}

/** Rows in the tables the generator does not fill: webhooks, invitations, keys, audit, mail, budgets, exports. */
async function moreRows(tenantId: string) {
  const endpoint = crypto.randomUUID();
  const event = crypto.randomUUID();
  await t.owner.db.execute(sql`insert into webhook_endpoints (tenant_id, id, url, events, secret_ciphertext) values (${tenantId}, ${endpoint}, 'https://hooks.example.com/in', '{ping}', 'sealed')`);
  await t.owner.db.execute(sql`insert into webhook_events (tenant_id, id, type, data) values (${tenantId}, ${event}, 'ping', '{}')`);
  await t.owner.db.execute(sql`insert into webhook_deliveries (tenant_id, webhook_id, event_id, event_type) values (${tenantId}, ${endpoint}, ${event}, 'ping')`);
  await t.owner.db.execute(sql`insert into invitations (tenant_id, email, role, token_hash, expires_at) values (${tenantId}, 'later@example.com', 'agent', ${randomBytes(16).toString("hex")}, now() + interval '1 day')`);
  await t.owner.db.execute(sql`insert into api_keys (tenant_id, name, role, prefix, key_hash) values (${tenantId}, 'k', 'viewer', 'sk_abcdefg', ${randomBytes(16).toString("hex")})`);
  await t.owner.db.execute(sql`insert into audit_log (tenant_id, actor_type, actor_id, actor_label, action, resource_type, result) values (${tenantId}, 'user', ${crypto.randomUUID()}, 'a@example.com', 'tenant.update', 'tenant', 'success')`);
  await t.owner.db.execute(sql`insert into email_outbox (tenant_id, kind, "to", subject, body, html) values (${tenantId}, 'invitation', 'later@example.com', 's', 'b', 'h')`);
  await t.owner.db.execute(sql`insert into request_budgets (tenant_id, window_start, count) values (${tenantId}, date_trunc('minute', now()), 7)`);
  await t.owner.db.execute(sql`insert into exports (tenant_id, kinds, format, requested_by_label, expires_at) values (${tenantId}, '{calls}', 'ndjson', 'a@example.com', now() + interval '7 days')`);
}

/** One batch as the app role, as the job runs it. */
const batch = (tenantId: string, limit = 500) =>
  withScope(t.app, {}, async (tx) =>
    rowsOf<{ table_name: string; deleted: number }>(await tx.execute(sql`select table_name, deleted from purge_tenant_batch(${tenantId}::uuid, ${limit}::int)`))[0]!,
  );

/** Batches until the tenant row goes; answers the steps. */
async function purgeAll(tenantId: string, limit: number) {
  const steps: { table_name: string; deleted: number }[] = [];
  for (let i = 0; i < 10_000; i++) {
    const step = await batch(tenantId, limit);
    steps.push(step);
    if (step.table_name === "tenants") return steps;
  }
  throw new Error("the purge does not end");
}

const archive = (tenantId: string, purgeAfter: Date) =>
  t.owner.db.update(tenants).set({ status: "archived", archivedAt: new Date(), purgeAfter }).where(eq(tenants.id, tenantId));

describe("purge_tenant_batch", () => {
  it("deletes an archived tenant past its grace period from every table in short batches; refuses live ones; another tenant is untouched", async () => {
    await generateTenants(t.app, { tenants: 2, days: 3, scale: 1, seed: 7, until: new Date("2026-01-01T00:00:00Z"), prefix: "purge", hashPassword: async () => "x" });
    const [doomed, kept] = rowsOf<{ id: string }>(await t.owner.db.execute(sql`select id from tenants where slug like 'purge-%' order by slug`));
    for (const id of [doomed!.id, kept!.id]) await moreRows(id);
    const before = await rowsPerTable(doomed!.id);
    const keptBefore = await rowsPerTable(kept!.id);
    expect(Object.values(before).filter((n) => n > 0).length).toBeGreaterThan(15);

    // Active, then archived within grace: refused, nothing deleted.
    expect(await rejectionCode(batch(doomed!.id))).toBe("55000");
    await archive(doomed!.id, new Date(Date.now() + 86_400_000));
    expect(await rejectionCode(batch(doomed!.id))).toBe("55000");
    expect(await rowsPerTable(doomed!.id)).toEqual(before);
    // Bad batch sizes are refused too.
    await t.owner.db.update(tenants).set({ purgeAfter: new Date(Date.now() - 1000) }).where(eq(tenants.id, doomed!.id));
    expect(await rejectionCode(batch(doomed!.id, 0))).toBe("22023");

    const steps = await purgeAll(doomed!.id, 200);
    expect(steps.every((s) => s.deleted >= 1 && s.deleted <= 200)).toBe(true);
    const deleted: Record<string, number> = {};
    for (const s of steps) deleted[s.table_name] = (deleted[s.table_name] ?? 0) + s.deleted;
    expect(deleted).toEqual({ ...Object.fromEntries(Object.entries(before).filter(([, n]) => n > 0)), tenants: 1 });
    expect(Object.values(await rowsPerTable(doomed!.id)).every((n) => n === 0)).toBe(true);
    expect(await t.owner.db.$count(tenants, eq(tenants.id, doomed!.id))).toBe(0);
    expect(await rowsPerTable(kept!.id)).toEqual(keptBefore);
    // Gone: a second run is refused like any tenant not due (the job then completes with nothing to do).
    expect(await rejectionCode(batch(doomed!.id))).toBe("55000");
  });

  it("an organisation waits for its departments (they come first in tenants_due_for_purge)", async () => {
    const org = crypto.randomUUID();
    const dept = crypto.randomUUID();
    await t.owner.db.insert(tenants).values([
      { id: org, slug: "purge-org", name: "Org" },
      { id: dept, slug: "purge-org-dept", name: "Dept", parentId: org },
    ]);
    const past = new Date(Date.now() - 1000);
    await archive(org, past);
    await archive(dept, past);
    const due = rowsOf<{ id: string }>(await withScope(t.app, {}, (tx) => tx.execute(sql`select t as id from tenants_due_for_purge() as t`))).map((r) => r.id);
    expect(due.indexOf(dept)).toBeLessThan(due.indexOf(org));
    expect(await rejectionCode(batch(org))).toBe("55000");
    expect((await purgeAll(dept, 500)).at(-1)).toEqual({ table_name: "tenants", deleted: 1 });
    expect((await purgeAll(org, 500)).at(-1)).toEqual({ table_name: "tenants", deleted: 1 });
  });

  it("reads along the tenant's index: sequential scans are off inside the function, and every listed table has an index led by tenant_id", async () => {
    // A large tenant's rows sit at the end of the heap behind its purged ones: a LIMIT planned as a seq scan read most of
    // the table per batch (483 ms vs 31 ms for 500 messages, migration 0027).
    const [fn] = rowsOf<{ config: string[] | null }>(await t.owner.db.execute(sql`select proconfig as config from pg_proc where proname = 'purge_tenant_batch'`));
    expect(fn!.config).toContain("enable_seqscan=off");
    const unindexed = rowsOf<{ name: string }>(
      await t.owner.db.execute(sql`
        select c.relname as name from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
        where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace
          and not exists (select 1 from pg_index i where i.indrelid = c.oid and i.indkey[0] = a.attnum)`),
    );
    expect(unindexed).toEqual([]);
  });

  it("lists every table with a tenant_id, each before the tables it references", async () => {
    const [fn] = rowsOf<{ src: string }>(await t.owner.db.execute(sql`select prosrc as src from pg_proc where proname = 'purge_tenant_batch'`));
    const list = /FOREACH t IN ARRAY ARRAY\[([^\]]+)\]/.exec(fn!.src)![1]!.split(",").map((s) => s.trim().replace(/^'|'$/g, ""));
    expect([...list].sort()).toEqual(await tenantTables());
    // Foreign keys between tenant tables: the referencing table is purged first (no cascade makes a step long).
    const fks = rowsOf<{ child: string; parent: string }>(
      await t.owner.db.execute(sql`
        select cl.relname as child, pl.relname as parent from pg_constraint c
        join pg_class cl on cl.oid = c.conrelid join pg_class pl on pl.oid = c.confrelid
        where c.contype = 'f' and cl.relnamespace = 'public'::regnamespace and cl.relname <> pl.relname`),
    ).filter((fk) => list.includes(fk.child) && list.includes(fk.parent));
    expect(fks.length).toBeGreaterThan(5);
    for (const fk of fks) expect(list.indexOf(fk.child), `${fk.child} → ${fk.parent}`).toBeLessThan(list.indexOf(fk.parent));
  });
});

// As in managed-owner.test.ts: the migrations run as an ordinary role, which FORCE RLS binds. The purge sees and
// deletes the tenant's rows through the owner policies of migration 0024 only.
const adminUrl = process.env.SB_TEST_DATABASE_URL;
describe.runIf(real)("purge_tenant_batch with a non-superuser owner (managed databases)", () => {
  let managed: ManagedOwnerDatabase;
  beforeAll(async () => {
    managed = await createManagedOwnerDatabase(adminUrl!, "purge");
  }, 120_000);
  afterAll(() => managed?.close());

  it("finds the tenant due and deletes its rows and its row, nobody else's", async () => {
    const { suffix, superuser: superuserHere } = managed;
    const [doomed, kept] = [crypto.randomUUID(), crypto.randomUUID()];
    await superuserHere.begin(async (tx) => {
      for (const [id, slug] of [[doomed, `purge-m-${suffix}`], [kept, `keep-m-${suffix}`]] as const) {
        await tx`insert into tenants (id, slug, name) values (${id}, ${slug}, 'Managed')`;
        await tx`insert into calls (tenant_id, direction, customer_phone, status) values (${id}, 'inbound', '+15550001111', 'completed')`;
        await tx`insert into audit_log (tenant_id, actor_type, actor_id, actor_label, action, resource_type, result) values (${id}, 'user', ${crypto.randomUUID()}, 'a', 'x', 'tenant', 'success')`;
        await tx`insert into webhook_events (tenant_id, id, type, data) values (${id}, ${crypto.randomUUID()}, 'ping', '{}')`;
      }
      await tx`update tenants set status = 'archived', archived_at = now(), purge_after = now() - interval '1 second' where id = ${doomed}`;
    });
    const app = await superuserHere.reserve();
    try {
      await app`set role switchboard_app`;
      expect((await app`select t as id from tenants_due_for_purge() as t`).map((r) => r.id)).toEqual([doomed]);
      const steps = [];
      for (let i = 0; i < 50; i++) {
        const [step] = await app`select table_name, deleted from purge_tenant_batch(${doomed}::uuid, 500)`;
        steps.push([step!.table_name, step!.deleted]);
        if (step!.table_name === "tenants") break;
      }
      expect(steps).toEqual([["webhook_events", 1], ["calls", 1], ["audit_log", 1], ["tenants", 1]]);
    } finally {
      await app`reset role`;
      app.release();
    }
    const left = await superuserHere`select (select count(*) from tenants where id = ${doomed})::int as doomed,
      (select count(*) from calls where tenant_id = ${kept})::int as kept_calls, (select count(*) from tenants where id = ${kept})::int as kept`;
    expect(left[0]).toEqual({ doomed: 0, kept_calls: 1, kept: 1 });
  });
});
