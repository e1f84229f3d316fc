// Reusable queries (built once, run in any transaction) and prepared statements: the built query must run on
// the connection of the transaction at hand, under that transaction's RLS scope, never the one it was built on.
import { desc, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calls, maxPreparedParameters, reusableQueries, reusableQuery, tenants, withScope } from "../src/index";
import { createTestDatabase, type TestDatabase } from "../src/testing/index";

let t: TestDatabase;
const A = crypto.randomUUID();
const B = crypto.randomUUID();

async function seedTenant(id: string, slug: string, n: number) {
  await withScope(t.app, { tenantId: id, userId: crypto.randomUUID() }, (tx) => tx.insert(tenants).values({ id, slug, name: slug }));
  await withScope(t.app, { tenantId: id }, (tx) =>
    tx.insert(calls).values(
      Array.from({ length: n }, (_, i) => ({
        tenantId: id,
        direction: "inbound" as const,
        customerPhone: `+1555000${i}`,
        status: i % 2 ? ("completed" as const) : ("missed" as const),
      })),
    ),
  );
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedTenant(A, "reuse-a", 6);
  await seedTenant(B, "reuse-b", 4);
});
afterAll(() => t?.close());

let builds = 0;
const byStatus = reusableQuery("test.calls-by-status", (db, name) => {
  builds++;
  return db
    .select()
    .from(calls)
    .where(eq(calls.status, sql.placeholder("status")))
    .orderBy(desc(calls.startedAt))
    .prepare(name);
});

describe("reusableQuery", () => {
  it("runs under the RLS scope of each transaction it is given, concurrently, on any pooled connection", async () => {
    const runs = Array.from({ length: 24 }, (_, i) => {
      const tenantId = [A, B, null][i % 3]!;
      return withScope(t.app, { tenantId }, async (tx) => ({ tenantId, rows: await byStatus(tx, { status: "completed" }) }));
    });
    for (const { tenantId, rows } of await Promise.all(runs)) {
      expect(rows).toHaveLength(tenantId === A ? 3 : tenantId === B ? 2 : 0);
      expect(rows.every((r) => r.tenantId === tenantId && r.status === "completed")).toBe(true);
      // Drizzle's mapping is kept: timestamps are Dates.
      expect(rows.every((r) => r.startedAt instanceof Date)).toBe(true);
    }
    expect(builds).toBe(1);
  });

  it("sees the transaction's own uncommitted writes and rolls back with it", async () => {
    const err = new Error("roll back");
    await expect(
      withScope(t.app, { tenantId: B }, async (tx) => {
        await tx.insert(calls).values({ tenantId: B, direction: "outbound", customerPhone: "+15559999", status: "completed" });
        expect(await byStatus(tx, { status: "completed" })).toHaveLength(3);
        throw err;
      }),
    ).rejects.toBe(err);
    expect(await withScope(t.app, { tenantId: B }, (tx) => byStatus(tx, { status: "completed" }))).toHaveLength(2);
  });

  it("builds each variant of a family once", async () => {
    const built: string[] = [];
    const list = reusableQueries<{ status?: string | undefined }, { id: string }[]>("test.calls", (db, has, name) => {
      built.push(name);
      return db
        .select({ id: calls.id })
        .from(calls)
        .where(has("status") ? eq(calls.status, sql.placeholder("status")) : undefined)
        .prepare(name);
    });
    await withScope(t.app, { tenantId: A }, async (tx) => {
      expect(await list(tx, {})).toHaveLength(6);
      expect(await list(tx, { status: "missed" })).toHaveLength(3);
      expect(await list(tx, { status: "completed" })).toHaveLength(3);
      expect(await list(tx, { status: undefined })).toHaveLength(6);
    });
    // The variant is which values are defined: an undefined value is the same variant as a missing one.
    expect(built).toEqual(["test.calls:", "test.calls:status"]);
  });
});

describe.runIf(process.env.SB_TEST_DATABASE_URL)("prepared statements on PostgreSQL", () => {
  it("Drizzle's statements run as named prepared statements on their connection", async () => {
    const manyIds = Array.from({ length: maxPreparedParameters + 1 }, () => crypto.randomUUID());
    const names = await withScope(t.app, { tenantId: A }, async (tx) => {
      await tx.select().from(calls).where(eq(calls.direction, "inbound"));
      await byStatus(tx, { status: "missed" });
      // A long `in (…)` list: its text varies with the list's length, so it is not kept on the connection.
      expect(await tx.select().from(calls).where(inArray(calls.id, manyIds))).toEqual([]);
      return tx.execute<{ statement: string }>(sql`select statement from pg_prepared_statements where not from_sql`);
    });
    const statements = [...(names as unknown as { statement: string }[])].map((r) => r.statement);
    expect(statements.some((s) => s.includes(`"direction" = $1`))).toBe(true);
    expect(statements.some((s) => s.includes(`"status" = $1`))).toBe(true);
    expect(statements.some((s) => s.includes(`$${maxPreparedParameters + 1}`))).toBe(false);
  });
});

describe("the relational API in a scoped transaction", () => {
  // Built on first use per transaction (driver/transaction-session.ts), on that transaction's connection and scope.
  it("reads through the transaction's own connection, under its scope", async () => {
    const seen = await Promise.all(
      [A, B, null].map((tenantId) =>
        withScope(t.app, { tenantId }, async (tx) => {
          const rows = await tx.query.calls.findMany({ columns: { tenantId: true } });
          const again = await tx.query.tenants.findFirst({ columns: { slug: true } });
          return { tenantId, rows, slug: again?.slug ?? null };
        }),
      ),
    );
    for (const { tenantId, rows, slug } of seen) {
      expect(rows).toHaveLength(tenantId === A ? 6 : tenantId === B ? 4 : 0);
      expect(rows.every((r) => r.tenantId === tenantId)).toBe(true);
      expect(slug).toBe(tenantId === A ? "reuse-a" : tenantId === B ? "reuse-b" : null);
    }
  });
});
