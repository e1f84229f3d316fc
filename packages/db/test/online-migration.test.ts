// The online step of migration 0014 on data written before issue #13: contacts matched by normalised handle across
// engagements, calls and leads (per tenant), first messages moved into threads, in batches, and nothing done twice.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../src/migrate";
import { createTestDatabase, type TestDatabase } from "../src/testing/index";

let t: TestDatabase;
const rowsOf = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as T[];
const q = async <T = Record<string, unknown>>(query: ReturnType<typeof sql>) => rowsOf<T>(await t.owner.db.execute(query));

const A = crypto.randomUUID();
const B = crypto.randomUUID();
/** More calls than one batch (1,000), over 40 numbers written three ways. */
const CALLS = 2_400;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

/** Rows as the release before #13 wrote them: a first message on the engagement, no contacts, no threads. */
async function writeLegacyRows(tenantId: string, slug: string) {
  await q(sql`insert into tenants (id, slug, name) values (${tenantId}, ${slug}, ${slug})`);
  await q(sql`insert into engagements (tenant_id, channel, customer, message, subject, created_at) values
    (${tenantId}, 'email', 'Ada@Example.COM', 'My invoice is wrong', 'Invoice', now() - interval '2 days'),
    (${tenantId}, 'whatsapp', '+1 (555) 000-1111', 'Where is my parcel?', null, now() - interval '1 day'),
    (${tenantId}, 'twitter', '@AdaLovelace', 'Your app is down', null, now())`);
  await q(sql`insert into calls (tenant_id, direction, customer_phone)
    select ${tenantId}, 'inbound', case i % 3 when 0 then '+1555000' || (1100 + i % 40)::text
                                              when 1 then '+1 555 000 ' || (1100 + i % 40)::text
                                              else '001-555-000-' || (1100 + i % 40)::text end
      from generate_series(1, ${CALLS}) i`);
  await q(sql`insert into leads (tenant_id, name, email, phone) values (${tenantId}, 'Ada Lovelace', 'ada@example.com', '+1-555-000-1111')`);
}

async function rerunOnlineStep() {
  await q(sql`delete from drizzle.switchboard_online_migrations where name = '0014-conversations'`);
  await migrate(t.ownerUrl!);
}

describe.runIf(process.env.SB_TEST_DATABASE_URL)("online migration 0014 (contacts and threads for existing rows)", () => {
  it("leaves a fresh database with its indexes built and its constraints validated", async () => {
    const indexes = await q<{ name: string; valid: boolean }>(sql`
      select c.relname as name, i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
       where c.relname in ('engagements_tenant_assignee_created_idx', 'engagements_tenant_contact_created_idx',
         'engagements_subject_search_idx', 'calls_tenant_contact_started_idx', 'leads_tenant_contact_created_idx')`);
    expect(indexes.map((i) => i.name).sort()).toHaveLength(5);
    expect(indexes.every((i) => i.valid)).toBe(true);
    const notValid = await q(sql`select conname from pg_constraint where connamespace = 'public'::regnamespace and not convalidated`);
    expect(notValid).toEqual([]);
    const [done] = await q(sql`select 1 from drizzle.switchboard_online_migrations where name = '0014-conversations'`);
    expect(done).toBeDefined();
  });

  it("matches one person across channels, calls and leads, per tenant, and moves first messages into threads", async () => {
    await writeLegacyRows(A, "legacy-a");
    await writeLegacyRows(B, "legacy-b");
    await rerunOnlineStep();

    for (const tenantId of [A, B]) {
      const handles = await q<{ kind: string; value: string }>(sql`
        select kind::text, value from contact_handles where tenant_id = ${tenantId} order by kind, value`);
      // 40 phone numbers (+15550001100…39, one of them the WhatsApp customer's), one e-mail, one @handle.
      expect(handles.filter((h) => h.kind === "phone")).toHaveLength(40);
      expect(handles.filter((h) => h.kind === "email")).toEqual([{ kind: "email", value: "ada@example.com" }]);
      expect(handles.filter((h) => h.kind === "twitter")).toEqual([{ kind: "twitter", value: "@adalovelace" }]);
      expect(handles.find((h) => h.value === "+15550001111")).toBeDefined();

      const [row] = await q<{ contacts: number }>(sql`select count(*)::int as contacts from contacts where tenant_id = ${tenantId}`);
      // The e-mail person (also the lead: its e-mail is matched first; its phone already belongs to the WhatsApp
      // person, so it stays there), the WhatsApp person (also the caller from +15550001111), the @handle, and the
      // 39 other callers.
      expect(row!.contacts).toBe(42);

      const missing = await q(sql`
        select 'engagements' from engagements where tenant_id = ${tenantId} and contact_id is null
        union all select 'calls' from calls where tenant_id = ${tenantId} and contact_id is null
        union all select 'leads' from leads where tenant_id = ${tenantId} and contact_id is null`);
      expect(missing).toEqual([]);

      const [same] = await q<{ whatsapp: string; call: string }>(sql`
        select (select contact_id from engagements where tenant_id = ${tenantId} and channel = 'whatsapp') as whatsapp,
               (select contact_id from calls where tenant_id = ${tenantId} and customer_phone like '%1111' limit 1) as call`);
      expect(same!.whatsapp).toBe(same!.call);
      const [lead] = await q<{ lead: string; email: string }>(sql`
        select (select contact_id from leads where tenant_id = ${tenantId}) as lead,
               (select contact_id from engagements where tenant_id = ${tenantId} and channel = 'email') as email`);
      expect(lead!.lead).toBe(lead!.email);

      const threads = await q<{ body: string; kind: string; author_type: string; legacy: string | null; same_time: boolean }>(sql`
        select m.body, m.kind::text, m.author_type::text, e.message as legacy, m.created_at = e.created_at as same_time
          from messages m join engagements e on e.tenant_id = m.tenant_id and e.id = m.engagement_id
         where m.tenant_id = ${tenantId} order by m.created_at`);
      expect(threads.map((m) => m.body)).toEqual(["My invoice is wrong", "Where is my parcel?", "Your app is down"]);
      expect(threads.every((m) => m.kind === "inbound" && m.author_type === "customer" && m.legacy === null && m.same_time)).toBe(true);
    }
    // Contacts never cross tenants: the same numbers in A and B are two sets of contacts.
    const [cross] = await q<{ shared: number }>(sql`
      select count(*)::int as shared from calls a join calls b on a.contact_id = b.contact_id and a.tenant_id <> b.tenant_id`);
    expect(cross!.shared).toBe(0);
  });

  it("does nothing twice: a second run finds nothing left to move", async () => {
    const count = async () =>
      (await q<{ n: string }>(sql`select (select count(*) from contacts) + (select count(*) from messages) + (select count(*) from contact_handles) as n`))[0]!.n;
    const before = await count();
    await rerunOnlineStep();
    expect(await count()).toBe(before);
  });

  it("rebuilds an index an interrupted run left invalid", async () => {
    await q(sql`update pg_index set indisvalid = false where indexrelid = 'calls_tenant_contact_started_idx'::regclass`).catch(() => null);
    // Without superuser rights the catalog cannot be edited: then simulate the interruption by dropping the index.
    const [row] = await q<{ valid: boolean }>(sql`select indisvalid as valid from pg_index where indexrelid = 'calls_tenant_contact_started_idx'::regclass`);
    if (row?.valid) await q(sql`drop index calls_tenant_contact_started_idx`);
    await rerunOnlineStep();
    const [after] = await q<{ valid: boolean }>(sql`select indisvalid as valid from pg_index where indexrelid = 'calls_tenant_contact_started_idx'::regclass`);
    expect(after?.valid).toBe(true);
  });
});
