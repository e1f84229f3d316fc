// engagements.list { q }: full-text over subjects and message bodies, inside the caller's tenant only, read off the
// GIN indexes as the app role (RLS on). Two tenants with 5,000 conversations each and realistic statistics, so the
// planner makes the choice production makes.
import { desc, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engagements, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { allPages, createTenantWithRoles } from "../../testing";
import { engagementColumns, SEARCH_WINDOW, searchMatch, searchWindow } from "./engagements.service";

let t: TestDatabase;
let a: Awaited<ReturnType<typeof createTenantWithRoles>>;
let b: Awaited<ReturnType<typeof createTenantWithRoles>>;
/** Conversations written through the API (their messages are the thread's). */
const made: Record<string, string> = {};

/** Bulk conversations as the owner: every message with a word of its own, as real threads have. */
async function bulk(tenantId: string) {
  await t.owner.db.execute(sql`
    insert into engagements (tenant_id, channel, customer, subject)
    select ${tenantId}, 'email', 'c' || i || '@example.com', 'order ' || md5(i::text) from generate_series(1, 5000) i`);
  await t.owner.db.execute(sql`
    insert into messages (tenant_id, engagement_id, kind, author_type, author_name, body)
    select e.tenant_id, e.id, 'inbound', 'customer', 'C', 'hello where is my order ' || md5(e.id::text)
      from engagements e where e.tenant_id = ${tenantId}`);
}

beforeAll(async () => {
  t = await createTestDatabase();
  a = await createTenantWithRoles(t.app, "search-a");
  b = await createTenantWithRoles(t.app, "search-b");
  await bulk(a.tenant.id);
  await bulk(b.tenant.id);
  const agentA = a.as(a.agent);
  made.bodyOnly = (await agentA.engagements.create({ channel: "chat", customer: "v1", message: "My zeppelin never arrived" })).id;
  made.subjectOnly = (await agentA.engagements.create({ channel: "email", customer: "z@example.com", subject: "Zeppelin tickets", message: "Two please" })).id;
  made.inReply = (await agentA.engagements.create({ channel: "chat", customer: "v2", message: "Hello" })).id;
  await agentA.messages.send({ engagementId: made.inReply, body: "Your zeppelin ride is booked" });
  made.inNote = (await agentA.engagements.create({ channel: "chat", customer: "v3", message: "Hi" })).id;
  await agentA.messages.note({ engagementId: made.inNote, body: "customer mentioned a zeppelin" });
  made.both = (await agentA.engagements.create({ channel: "email", customer: "y@example.com", subject: "zeppelin", message: "zeppelin again" })).id;
  made.theirs = (await b.as(b.agent).engagements.create({ channel: "chat", customer: "w1", message: "A dirigible, not a blimp" })).id;
  // As autovacuum would: statistics, and the GIN pending lists merged into the indexes.
  await t.owner.db.execute(sql`vacuum analyze engagements`);
  await t.owner.db.execute(sql`vacuum analyze messages`);
}, 120_000);
afterAll(() => t?.close());

const found = async (caller: ReturnType<typeof a.as>, q: string, limit = 2) =>
  (await allPages((cursor) => caller.engagements.list({ q, limit, cursor }))).items.map((e) => e.id);

describe("engagements.list { q }", () => {
  it("finds conversations by subject and by any thread entry (customer message, reply, note), newest first, in keyset pages", async () => {
    expect(await found(a.as(a.viewer), "zeppelin")).toEqual([made.both, made.inNote, made.inReply, made.subjectOnly, made.bodyOnly]);
    expect(await found(a.as(a.viewer), "ZEPPELIN tickets")).toEqual([made.subjectOnly]);
    expect(await found(a.as(a.viewer), '"never arrived"')).toEqual([made.bodyOnly]);
    // A query matches one document (the subject, or one thread entry): `both`'s subject has no excluded word.
    expect(await found(a.as(a.viewer), "zeppelin -booked -tickets -mentioned -again")).toEqual([made.both, made.bodyOnly]);
    // Combined with another filter.
    expect((await a.as(a.viewer).engagements.list({ q: "zeppelin", channel: "email" })).items.map((e) => e.id)).toEqual([made.both, made.subjectOnly]);
    expect(await found(a.as(a.viewer), "!!!")).toEqual([]);
  });

  it("never finds another tenant's words: a term only in A's messages is not found from B, nor B's from A", async () => {
    expect(await found(b.as(b.owner), "zeppelin")).toEqual([]);
    expect(await found(b.as(b.owner), "dirigible")).toEqual([made.theirs]);
    expect(await found(a.as(a.owner), "dirigible")).toEqual([]);
  });

  it("pages a common word exactly as the indexes would (answered from the newest conversations), and finds a rare word far beyond them", async () => {
    // The owner's answer: every match of the tenant, newest first.
    const expected = async (word: string) => {
      const result = await t.owner.db.execute(sql`
        select e.id from engagements e
         where e.tenant_id = ${a.tenant.id}
           and (to_tsvector('simple', e.subject) @@ websearch_to_tsquery('simple', ${word})
                or exists (select 1 from messages m where m.tenant_id = e.tenant_id and m.engagement_id = e.id
                             and m.search @@ websearch_to_tsquery('simple', ${word})))
         order by e.created_at desc, e.id desc`);
      return ((Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as { id: string }[]).map((r) => r.id);
    };
    const viewer = a.as(a.viewer);
    const first = await viewer.engagements.list({ q: "hello", limit: 100 });
    const second = await viewer.engagements.list({ q: "hello", limit: 100, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((e) => e.id)).toEqual((await expected("hello")).slice(0, 200));

    // The window itself settles a common word from message bodies alone (no subject has "hello").
    const window = await withScope(t.app, { tenantId: a.tenant.id }, (tx) =>
      searchWindow(tx, {
        channel: undefined,
        status: undefined,
        assignedUserId: undefined,
        unassigned: undefined,
        labelId: undefined,
        contactId: undefined,
        q: "hello",
        limit: 51,
      }),
    );
    expect(window).toEqual({ hits: (await expected("hello")).slice(0, 51), settled: true });

    // The oldest conversation's word: past SEARCH_WINDOW newer ones, so the GIN indexes answer.
    const [oldest] = (await expected("order")).slice(-1);
    await t.owner.db.execute(sql`update messages set body = body || ' quokka' where engagement_id = ${oldest!}`);
    expect((await expected("order")).length).toBeGreaterThan(SEARCH_WINDOW);
    expect(await found(viewer, "quokka")).toEqual([oldest]);
  });

  it("as the app role with RLS on, the plan reads both GIN indexes (no filter over the tenant's rows)", async () => {
    const plan = await withScope(t.app, { tenantId: a.tenant.id }, async (tx) => {
      // The list's statement shape with the service's own search condition.
      const query = tx
        .select(engagementColumns)
        .from(engagements)
        .where(searchMatch(sql`${"zeppelin"}`))
        .orderBy(desc(engagements.createdAt), desc(engagements.id))
        .limit(51);
      const result = await tx.execute(sql`explain (costs off) ${query}`);
      const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as Record<string, string>[];
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(plan).toMatch(/Bitmap Index Scan on messages_search_idx\s+Index Cond: \(search @@/);
    expect(plan).toMatch(/Bitmap Index Scan on engagements_subject_search_idx\s+Index Cond: \(to_tsvector/);
    expect(plan).not.toMatch(/Filter: \(.*@@/);
  });
});
