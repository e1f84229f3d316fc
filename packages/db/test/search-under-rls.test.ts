// Conversation search as the app role, under row-level security: the text conditions are index conditions on the
// GIN indexes (migration 0016 marks `@@` and to_tsvector leakproof), not a filter over all of a tenant's messages.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withScope } from "../src/index";
import { createTestDatabase, type TestDatabase } from "../src/testing/index";

let t: TestDatabase;
const A = crypto.randomUUID();
const B = crypto.randomUUID();

/**
 * Two tenants with 10,000 conversations each, every message with a word of its own (as real threads have);
 * "zeppelin" is rare and only in A. Realistic statistics, so the planner's choice is the one production makes.
 */
async function seed() {
  for (const [id, slug] of [[A, "search-a"], [B, "search-b"]] as const) {
    await t.owner.db.execute(sql`insert into tenants (id, slug, name) values (${id}, ${slug}, ${slug})`);
    await t.owner.db.execute(sql`
      insert into engagements (tenant_id, channel, customer, subject)
      select ${id}, 'email', 'c' || i || '@example.com', case when i % 1000 = 0 and ${id} = ${A}::uuid then 'zeppelin tickets' else 'order ' || md5(i::text) end
        from generate_series(1, 10000) i`);
    await t.owner.db.execute(sql`
      insert into messages (tenant_id, engagement_id, kind, author_type, author_name, body)
      select e.tenant_id, e.id, 'inbound', 'customer', 'C',
             case when row_number() over () % 1000 = 0 and e.tenant_id = ${A}::uuid then 'my zeppelin never arrived'
                  else 'hello where is my order ' || md5(e.id::text) end
        from engagements e where e.tenant_id = ${id}`);
  }
  // As autovacuum would: statistics, and the GIN pending list merged into the index.
  await t.owner.db.execute(sql`vacuum analyze engagements`);
  await t.owner.db.execute(sql`vacuum analyze messages`);
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seed();
});
afterAll(() => t?.close());

async function planAsApp(query: string): Promise<string> {
  return withScope(t.app, { tenantId: A }, async (tx) => {
    const result = await tx.execute(sql.raw(`explain (costs off) ${query}`));
    const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as Record<string, string>[];
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  });
}

describe("full-text search under RLS stays on the GIN indexes", () => {
  it("message bodies: messages_search_idx", async () => {
    const plan = await planAsApp(`select id from messages where search @@ websearch_to_tsquery('simple', 'zeppelin')`);
    expect(plan).toMatch(/Bitmap Index Scan on messages_search_idx\s+Index Cond: \(search @@/);
    expect(plan).not.toMatch(/Filter: \(search @@/);
  });

  it("subjects: engagements_subject_search_idx", async () => {
    const plan = await planAsApp(
      `select id from engagements where to_tsvector('simple'::regconfig, subject) @@ websearch_to_tsquery('simple', 'zeppelin')`,
    );
    expect(plan).toMatch(/Bitmap Index Scan on engagements_subject_search_idx\s+Index Cond: \(to_tsvector/);
    expect(plan).not.toMatch(/Filter: \(to_tsvector/);
  });

  it("finds only the scope's tenant's rows", async () => {
    const found = await withScope(t.app, { tenantId: B }, (tx) =>
      tx.execute(sql`select id from messages where search @@ websearch_to_tsquery('simple', 'zeppelin')`),
    );
    const rows = Array.isArray(found) ? found : (found as unknown as { rows: unknown[] }).rows;
    expect(rows).toHaveLength(0);
  });
});
