// The data generator: reproducible from its seed, within the tenant's features, consistent with itself.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calls, engagementEvents, engagements, generateTenantData, generateTenants, tenants, withScope } from "../src/index";
import { createTestDatabase, type TestDatabase } from "../src/testing/index";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const until = new Date("2026-03-01T00:00:00Z");
/** `execute` answers rows directly on postgres.js and as `{ rows }` on PGlite. */
const rowsOf = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows);

describe("data generator", () => {
  it("generates the same rows for the same seed, different ones for another seed", async () => {
    const run = async (db: TestDatabase, seed: number) => {
      const tenantId = "00000000-0000-4000-8000-000000000001";
      await withScope(db.app, { tenantId, userId: crypto.randomUUID() }, (tx) => tx.insert(tenants).values({ id: tenantId, slug: "gen-same", name: "G" }));
      const opts = { tenantId, userIds: [], days: 7, scale: 0.5, until, features: { voiceAgents: true, chatAgents: true, maxAgents: 3 } };
      const counts = await withScope(db.app, { tenantId }, (tx) => generateTenantData(tx, { ...opts, seed }));
      const rows = await withScope(db.app, { tenantId }, async (tx) => ({
        calls: await tx.select().from(calls).orderBy(calls.id),
        engagements: await tx.select().from(engagements).orderBy(engagements.id),
        events: await tx.select().from(engagementEvents).orderBy(engagementEvents.id),
      }));
      return { counts, rows };
    };
    const other = await createTestDatabase();
    const third = await createTestDatabase();
    try {
      const a = await run(t, 7);
      const b = await run(other, 7);
      const c = await run(third, 8);
      expect(a.counts.calls).toBeGreaterThan(20);
      expect(a.counts.agents).toBeLessThanOrEqual(3);
      expect(b).toEqual(a);
      expect(c.rows.calls.map((x) => x.id)).not.toEqual(a.rows.calls.map((x) => x.id));
    } finally {
      await other.close();
      await third.close();
    }
  });

  it("generateTenants: tenants with members and data; consistent timestamps; no voice agents where they are off", async () => {
    const result = await generateTenants(t.app, {
      tenants: 6, days: 5, scale: 0.3, seed: 1, until, prefix: "gtest", concurrency: 2, hashPassword: async () => "x",
    });
    expect(result.tenants).toBe(6);
    expect(result.users).toBe(24);
    const [check] = rowsOf(await t.owner.db.execute(sql`
      select
        (select count(*)::int from calls where ended_at < started_at or started_at >= ${until.toISOString()}::timestamptz) as bad_calls,
        (select count(*)::int from engagements where first_response_at < created_at or resolved_at < first_response_at) as bad_engagements,
        (select count(*)::int from engagements e where not exists (select 1 from engagement_events v where v.engagement_id = e.id and v.type = 'created')) as without_event,
        (select count(*)::int from agents a join tenants t on t.id = a.tenant_id where t.tier = 'free' and t.slug like 'gtest-%' and a.type = 'voice') as free_voice
    `));
    expect(check).toMatchObject({ bad_calls: 0, bad_engagements: 0, without_event: 0, free_voice: 0 });
    await expect(
      generateTenants(t.app, { tenants: 1, days: 1, scale: 1, seed: 1, until, prefix: "gtest", hashPassword: async () => "x" }),
    ).rejects.toThrow(/exists already/);
  });
});
