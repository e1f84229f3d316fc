// Policies themselves, as the app role, with no application code in between.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memberships, tenants, users, withScope } from "../src/index";
import { createTestDatabase, rejectionCode, type TestDatabase } from "../src/testing/index";

/** insufficient_privilege: PostgreSQL's code for a row that violates a policy (or a missing grant). */
const RLS_VIOLATION = "42501";

let t: TestDatabase;
const A = crypto.randomUUID();
const B = crypto.randomUUID();
let alice: string;
let bob: string;

beforeAll(async () => {
  t = await createTestDatabase();
  console.log(`[rls] running on ${t.kind}`);
  [alice, bob] = await withScope(t.app, {}, async (tx) => {
    const rows = await tx
      .insert(users)
      .values([
        { email: "alice@a.test", name: "Alice", passwordHash: "x" },
        { email: "bob@b.test", name: "Bob", passwordHash: "x" },
      ])
      .returning({ id: users.id });
    return rows.map((r) => r.id) as [string, string];
  });
  await withScope(t.app, { tenantId: A, userId: alice }, async (tx) => {
    await tx.insert(tenants).values({ id: A, slug: "tenant-a", name: "A" });
    await tx.insert(memberships).values({ tenantId: A, userId: alice, role: "owner" });
  });
  await withScope(t.app, { tenantId: B, userId: bob }, async (tx) => {
    await tx.insert(tenants).values({ id: B, slug: "tenant-b", name: "B" });
    await tx.insert(memberships).values({ tenantId: B, userId: bob, role: "owner" });
  });
});
afterAll(() => t?.close());

describe("row-level security as the app role", () => {
  it("sees zero tenant rows with no scope set", async () => {
    const rows = await withScope(t.app, {}, async (tx) => ({
      tenants: await tx.select().from(tenants),
      memberships: await tx.select().from(memberships),
    }));
    expect(rows.tenants).toHaveLength(0);
    expect(rows.memberships).toHaveLength(0);
  });

  it("sees zero rows outside any transaction too (settings unset on a pooled connection)", async () => {
    // A previous scoped transaction leaves the settings as '' on the connection; they must still mean "none".
    const rows = await withScope(t.app, {}, (tx) => tx.execute(sql`select count(*)::int as n from tenants`));
    expect(Number((rows as unknown as { n: number }[])[0]?.n ?? (rows as { rows: { n: number }[] }).rows?.[0]?.n)).toBe(0);
  });

  it("inside withScope(A) sees only A's rows", async () => {
    const rows = await withScope(t.app, { tenantId: A }, async (tx) => ({
      tenants: await tx.select().from(tenants),
      memberships: await tx.select().from(memberships),
    }));
    expect(rows.tenants.map((r) => r.slug)).toEqual(["tenant-a"]);
    expect(rows.memberships.map((m) => m.tenantId)).toEqual([A]);
  });

  it("resolves exactly one tenant by slug scope", async () => {
    const rows = await withScope(t.app, { tenantSlug: "tenant-b" }, (tx) => tx.select().from(tenants));
    expect(rows.map((r) => r.id)).toEqual([B]);
  });

  it("rejects inserting a row into another tenant", async () => {
    expect(
      await rejectionCode(
        withScope(t.app, { tenantId: A }, (tx) =>
          tx.insert(memberships).values({ tenantId: B, userId: alice, role: "admin" }),
        ),
      ),
    ).toBe(RLS_VIOLATION);
    const bRows = await withScope(t.app, { tenantId: B }, (tx) => tx.select().from(memberships));
    expect(bRows.map((m) => m.userId)).toEqual([bob]);
  });

  it("rejects moving a row into another tenant", async () => {
    expect(
      await rejectionCode(
        withScope(t.app, { tenantId: A }, (tx) =>
          tx.update(memberships).set({ tenantId: B }).where(sql`${memberships.userId} = ${alice}`),
        ),
      ),
    ).toBe(RLS_VIOLATION);
  });

  it("cannot update or delete another tenant's rows (they are invisible)", async () => {
    const changed = await withScope(t.app, { tenantId: A }, async (tx) => ({
      updated: await tx.update(tenants).set({ name: "pwned" }).where(sql`${tenants.id} = ${B}`).returning(),
      deleted: await tx.delete(memberships).where(sql`${memberships.tenantId} = ${B}`).returning(),
    }));
    expect(changed.updated).toHaveLength(0);
    expect(changed.deleted).toHaveLength(0);
    const b = await withScope(t.app, { tenantId: B }, (tx) => tx.select().from(tenants));
    expect(b[0]?.name).toBe("B");
  });

  it("cannot create a tenant other than the one it is scoped to", async () => {
    expect(
      await rejectionCode(
        withScope(t.app, { tenantId: A, userId: alice }, (tx) =>
          tx.insert(tenants).values({ id: crypto.randomUUID(), slug: "sneaky", name: "S" }),
        ),
      ),
    ).toBe(RLS_VIOLATION);
  });
});

describe.runIf(process.env.SB_TEST_DATABASE_URL)("the app role on a real server", () => {
  it("is not superuser, has no BYPASSRLS and owns nothing", async () => {
    const [row] = (await t.app.db.execute(sql`
      select r.rolsuper as su, r.rolbypassrls as bypass,
        (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and pg_has_role(current_user, c.relowner, 'USAGE')) as owned
      from pg_roles r where r.rolname = current_user`)) as unknown as { su: boolean; bypass: boolean; owned: number }[];
    expect(row).toEqual({ su: false, bypass: false, owned: 0 });
  });

  it("every table with a tenant_id column (and tenants) has RLS enabled, forced and a policy for the app role", async () => {
    const rows = (await t.owner.db.execute(sql`
      select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
        exists (select 1 from pg_policy p where p.polrelid = c.oid
          and (p.polroles @> array[(select oid from pg_roles where rolname = 'switchboard_app')]
               or p.polroles = '{0}')) as has_policy
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r'
        and (c.relname = 'tenants' or exists (select 1 from pg_attribute a
          where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped))
      order by 1`)) as unknown as { name: string; enabled: boolean; forced: boolean; has_policy: boolean }[];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) expect(r, r.name).toMatchObject({ enabled: true, forced: true, has_policy: true });
  });
});
