// The data generator: reproducible from its seed, within the tenant's features, consistent with itself (threads,
// contacts shared across channels and calls, normalised handles, labels).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  calls,
  contactHandles,
  contacts,
  engagementEvents,
  engagements,
  generateTenantData,
  generateTenants,
  LONG_THREAD_MESSAGES,
  messages,
  normaliseHandle,
  tenants,
  withScope,
} from "../src/index";
import { createTestDatabase, type TestDatabase } from "../src/testing/index";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const until = new Date("2026-03-01T00:00:00Z");
/** `execute` answers rows directly on postgres.js and as `{ rows }` on PGlite. */
const rowsOf = <T,>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as T[];
const one = async <T,>(query: ReturnType<typeof sql>) => rowsOf<T>(await t.owner.db.execute(query))[0]!;

describe("data generator", () => {
  it("generates the same rows for the same seed, different ones for another seed; some threads are long", async () => {
    const run = async (db: TestDatabase, seed: number) => {
      const tenantId = "00000000-0000-4000-8000-000000000001";
      await withScope(db.app, { tenantId, userId: crypto.randomUUID() }, (tx) => tx.insert(tenants).values({ id: tenantId, slug: "gen-same", name: "G" }));
      // ~130 engagements: enough for a tenant's first long thread (its 20th answered conversation).
      const opts = { tenantId, members: [], days: 7, scale: 1, until, features: { voiceAgents: true, chatAgents: true, maxAgents: 3 } };
      const counts = await withScope(db.app, { tenantId }, (tx) => generateTenantData(tx, { ...opts, seed }));
      const rows = await withScope(db.app, { tenantId }, async (tx) => ({
        calls: await tx.select().from(calls).orderBy(calls.id),
        engagements: await tx.select().from(engagements).orderBy(engagements.id),
        events: await tx.select().from(engagementEvents).orderBy(engagementEvents.id),
        messages: await tx.select().from(messages).orderBy(messages.id),
        contacts: await tx.select().from(contacts).orderBy(contacts.id),
        handles: await tx.select().from(contactHandles).orderBy(contactHandles.id),
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
      expect(a.counts.messages).toBeGreaterThan(a.counts.engagements * 3);
      expect(b).toEqual(a);
      expect(c.rows.calls.map((x) => x.id)).not.toEqual(a.rows.calls.map((x) => x.id));
      // Without members, replies come from the chat agents or the team; ~280 engagements give one long thread.
      const perThread = new Map<string, number>();
      for (const m of a.rows.messages) perThread.set(m.engagementId, (perThread.get(m.engagementId) ?? 0) + 1);
      expect([...perThread.values()]).toContain(LONG_THREAD_MESSAGES);
      expect(a.rows.messages.filter((m) => m.kind === "note")).toEqual([]);
    } finally {
      await other.close();
      await third.close();
    }
  }, 120_000);

  it("generateTenants: tenants with members and data; consistent threads, contacts and timestamps", async () => {
    const result = await generateTenants(t.app, {
      tenants: 6, days: 5, scale: 0.6, seed: 1, until, prefix: "gtest", concurrency: 2, hashPassword: async () => "x",
    });
    expect(result.tenants).toBe(6);
    expect(result.users).toBe(24);
    expect(result.messages).toBeGreaterThan(result.engagements * 3);
    expect(result.labels).toBe(36);
    expect(result.cannedResponses).toBe(30);
    const check = await one<Record<string, number>>(sql`
      with thread as (
        select e.id, e.tenant_id, e.status, e.created_at, e.first_response_at, e.resolved_at, e.last_message_at, e.updated_at,
          count(m.id)::int as n,
          min(m.created_at) filter (where m.kind = 'outbound') as first_outbound,
          max(m.created_at) as last_at,
          (array_agg(m.kind order by m.created_at, m.id))[1] as first_kind,
          (array_agg(m.author_type order by m.created_at, m.id))[1] as first_author,
          (array_agg(m.created_at order by m.created_at, m.id))[1] as first_at,
          count(distinct m.created_at)::int as distinct_at
        from engagements e left join messages m on m.tenant_id = e.tenant_id and m.engagement_id = e.id
        group by e.id, e.tenant_id)
      select
        (select count(*)::int from calls where ended_at < started_at or started_at >= ${until.toISOString()}::timestamptz) as bad_calls,
        (select count(*)::int from engagements where first_response_at < created_at or resolved_at < first_response_at) as bad_engagements,
        (select count(*)::int from engagements e where not exists (select 1 from engagement_events v where v.engagement_id = e.id and v.type = 'created')) as without_event,
        (select count(*)::int from agents a join tenants t on t.id = a.tenant_id where t.tier = 'free' and t.slug like 'gtest-%' and a.type = 'voice') as free_voice,
        (select count(*)::int from engagements where message is not null) as legacy_message,
        (select count(*)::int from thread where n < 1 or (n > 12 and n <> ${LONG_THREAD_MESSAGES})) as bad_length,
        (select count(*)::int from thread where first_kind <> 'inbound' or first_author <> 'customer' or first_at <> created_at) as bad_first,
        (select count(*)::int from thread where distinct_at <> n) as ties,
        (select count(*)::int from thread where first_response_at is distinct from first_outbound) as bad_first_response,
        (select count(*)::int from thread where (status = 'new') <> (first_outbound is null)) as bad_status,
        (select count(*)::int from thread where last_message_at <> last_at or resolved_at < last_at or updated_at < last_at or last_at >= ${until.toISOString()}::timestamptz) as bad_last,
        (select count(*)::int from messages m where m.kind = 'outbound' and m.author_type = 'user'
          and not exists (select 1 from memberships s where s.tenant_id = m.tenant_id and s.user_id = m.author_id and s.role <> 'viewer')) as foreign_user,
        (select count(*)::int from messages m where m.author_type = 'ai_agent'
          and not exists (select 1 from agents a where a.tenant_id = m.tenant_id and a.id = m.author_id and a.type = 'chat')) as foreign_ai,
        (select count(*)::int from messages m where m.author_type = 'customer'
          and not exists (select 1 from engagements e where e.tenant_id = m.tenant_id and e.id = m.engagement_id and e.contact_id = m.author_id)) as foreign_customer,
        (select count(*)::int from messages where kind = 'outbound' and author_type = 'user') as human_replies,
        (select count(*)::int from messages where author_type = 'ai_agent') as ai_replies,
        (select count(*)::int from messages where kind = 'note') as notes,
        (select count(*)::int from messages where kind = 'note' and author_type <> 'user') as bad_notes,
        (select count(*)::int from (select 1 from messages where kind = 'note' group by tenant_id, engagement_id, body having count(*) > 1) s) as repeated_notes,
        (select count(*)::int from engagements where contact_id is null) + (select count(*)::int from calls where contact_id is null)
          + (select count(*)::int from leads where contact_id is null) as without_contact,
        (select count(*)::int from engagements e where not exists (select 1 from contact_handles h where h.tenant_id = e.tenant_id
          and h.contact_id = e.contact_id and h.value = e.customer
          and h.kind::text = case when e.channel in ('whatsapp', 'voice') then 'phone' else e.channel::text end)) as customer_not_a_handle,
        (select count(*)::int from calls c where not exists (select 1 from contact_handles h where h.tenant_id = c.tenant_id
          and h.contact_id = c.contact_id and h.kind = 'phone' and h.value = c.customer_phone)) as phone_not_a_handle,
        (select count(*)::int from contacts c where c.created_at > (select min(e.created_at) from engagements e where e.tenant_id = c.tenant_id and e.contact_id = c.id)) as contact_after_use,
        (select count(distinct c.contact_id)::int from calls c join engagements e on e.tenant_id = c.tenant_id and e.contact_id = c.contact_id and e.channel in ('whatsapp', 'voice')) as call_and_conversation,
        (select count(*)::int from (select contact_id from engagements group by tenant_id, contact_id having count(distinct channel) > 1) s) as cross_channel,
        (select count(*)::int from engagement_labels) as engagement_labels,
        (select count(*)::int from engagements where csat is not null and csat_source is null) as csat_without_source
    `);
    expect(check).toMatchObject({
      bad_calls: 0, bad_engagements: 0, without_event: 0, free_voice: 0, legacy_message: 0, bad_length: 0, bad_first: 0, ties: 0,
      bad_first_response: 0, bad_status: 0, bad_last: 0, foreign_user: 0, foreign_ai: 0, foreign_customer: 0, bad_notes: 0, repeated_notes: 0,
      without_contact: 0, customer_not_a_handle: 0, phone_not_a_handle: 0, contact_after_use: 0, csat_without_source: 0,
    });
    for (const k of ["human_replies", "ai_replies", "notes", "call_and_conversation", "cross_channel", "engagement_labels"]) {
      expect(check[k], k).toBeGreaterThan(0);
    }
    // Handles are stored exactly as the services normalise them, so a new engagement or call matches its contact.
    const handles = rowsOf<{ kind: "email" | "phone" | "twitter" | "facebook" | "chat"; value: string }>(
      await t.owner.db.execute(sql`select kind, value from contact_handles`),
    );
    expect(handles.length).toBeGreaterThan(100);
    expect(handles.filter((h) => normaliseHandle(h.kind, h.value) !== h.value)).toEqual([]);
    await expect(
      generateTenants(t.app, { tenants: 1, days: 1, scale: 1, seed: 1, until, prefix: "gtest", hashPassword: async () => "x" }),
    ).rejects.toThrow(/exists already/);
  }, 120_000);
});
