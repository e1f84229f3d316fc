/**
 * Completes migrations/0014_conversations.sql on existing data (issue #13), outside any long transaction:
 * 1. every engagement, call and lead written before gets its contact, matched by normalised handle (the same
 *    `normaliseHandle` the services use) or created, and every engagement's first message moves from the legacy
 *    `engagements.message` column into `messages` — in batches of BATCH rows, one short transaction each, resumable
 *    (a batch only picks rows still missing their contact or still holding a message);
 * 2. the indexes on those large tables are built CONCURRENTLY;
 * 3. the foreign keys and checks added NOT VALID are validated (no write lock).
 * Runs as the owner (no RLS), while the previous or the new release may be serving: a handle the app claims between
 * two statements is taken as the match.
 */
import { randomUUID } from "node:crypto";
import { handleKindOf, normaliseHandle, type Channel, type HandleKind } from "../handles";
import { createIndexConcurrently, type OnlineClient, type OnlineMigration, type Rows, validateConstraint } from "./runner";

const BATCH = 1000;
/** engagements.list { q } over subjects (see the schema; 0016 replaced an earlier coalesce() form). */
export const SUBJECT_SEARCH_INDEX = `ON "engagements" USING gin (to_tsvector('simple'::regconfig, "subject"))`;
const ZERO = "00000000-0000-0000-0000-000000000000";

type Query = (text: string, params?: unknown[]) => Promise<Rows>;
interface Handle {
  kind: HandleKind;
  value: string;
}
/** A row that needs a contact: its handles in order of preference. */
interface Claim {
  tenantId: string;
  id: string;
  handles: Handle[];
  name: string | null;
}

const keyOf = (tenantId: string, h: Handle) => `${tenantId}\u0000${h.kind}\u0000${h.value}`;
const json = (v: unknown) => JSON.stringify(v);

/**
 * The contact of each claim (null when it has no usable handle), creating contacts and handles as needed, in the
 * caller's transaction. Claims of one batch that share a handle share the contact.
 */
async function contactsFor(query: Query, claims: Claim[]): Promise<Map<string, string>> {
  const wanted = new Map<string, { tenantId: string; kind: HandleKind; value: string }>();
  for (const c of claims) for (const h of c.handles) wanted.set(keyOf(c.tenantId, h), { tenantId: c.tenantId, ...h });
  const owner = new Map<string, string>();
  if (wanted.size > 0) {
    const rows = await query(
      `select h.tenant_id, h.kind::text as kind, h.value, h.contact_id
         from jsonb_to_recordset($1::jsonb) as w("tenantId" uuid, kind text, value text)
         join contact_handles h on h.tenant_id = w."tenantId" and h.kind::text = w.kind and h.value = w.value`,
      [json([...wanted.values()])],
    );
    for (const r of rows) owner.set(keyOf(String(r.tenant_id), { kind: r.kind as HandleKind, value: String(r.value) }), String(r.contact_id));
  }

  const contactOf = new Map<string, string>();
  const newContacts: { tenantId: string; id: string; name: string | null; email: string | null; phone: string | null }[] = [];
  const newHandles: { tenantId: string; contactId: string; kind: HandleKind; value: string }[] = [];
  for (const c of claims) {
    if (c.handles.length === 0) continue;
    let contactId = c.handles.map((h) => owner.get(keyOf(c.tenantId, h))).find((id) => id !== undefined);
    if (!contactId) {
      contactId = randomUUID();
      newContacts.push({
        tenantId: c.tenantId,
        id: contactId,
        name: c.name,
        email: c.handles.find((h) => h.kind === "email")?.value ?? null,
        phone: c.handles.find((h) => h.kind === "phone")?.value ?? null,
      });
    }
    // The claim's other handles join its contact when nobody holds them (a lead's e-mail and phone).
    for (const h of c.handles) {
      const key = keyOf(c.tenantId, h);
      if (owner.has(key)) continue;
      owner.set(key, contactId);
      newHandles.push({ tenantId: c.tenantId, contactId, ...h });
    }
    contactOf.set(c.id, contactId);
  }
  if (newContacts.length > 0) {
    await query(
      `insert into contacts (tenant_id, id, name, email, phone)
       select "tenantId", id, left(name, 200), email, phone
         from jsonb_to_recordset($1::jsonb) as x("tenantId" uuid, id uuid, name text, email text, phone text)`,
      [json(newContacts)],
    );
  }
  if (newHandles.length > 0) {
    const inserted = await query(
      `insert into contact_handles (tenant_id, contact_id, kind, value)
       select "tenantId", "contactId", kind::contact_handle_kind, value
         from jsonb_to_recordset($1::jsonb) as x("tenantId" uuid, "contactId" uuid, kind text, value text)
       on conflict (tenant_id, kind, value) do nothing
       returning tenant_id, kind::text as kind, value`,
      [json(newHandles)],
    );
    if (inserted.length < newHandles.length) await yieldToConcurrentClaims(query, claims, newHandles, inserted, contactOf);
  }
  return contactOf;
}

/**
 * Handles the app claimed meanwhile (its own contact won): claims pointing at a contact of ours through such a
 * handle move to the app's contact, and our contacts left without any handle are removed.
 */
async function yieldToConcurrentClaims(
  query: Query,
  claims: Claim[],
  newHandles: { tenantId: string; contactId: string; kind: HandleKind; value: string }[],
  inserted: Rows,
  contactOf: Map<string, string>,
) {
  const landed = new Set(inserted.map((r) => keyOf(String(r.tenant_id), { kind: r.kind as HandleKind, value: String(r.value) })));
  const lost = newHandles.filter((h) => !landed.has(keyOf(h.tenantId, h)));
  const rows = await query(
    `select h.tenant_id, h.kind::text as kind, h.value, h.contact_id
       from jsonb_to_recordset($1::jsonb) as w("tenantId" uuid, kind text, value text)
       join contact_handles h on h.tenant_id = w."tenantId" and h.kind::text = w.kind and h.value = w.value`,
    [json(lost)],
  );
  const winner = new Map(rows.map((r) => [keyOf(String(r.tenant_id), { kind: r.kind as HandleKind, value: String(r.value) }), String(r.contact_id)]));
  for (const c of claims) {
    const mine = contactOf.get(c.id);
    const taken = c.handles.map((h) => winner.get(keyOf(c.tenantId, h))).find((id) => id !== undefined);
    if (mine && taken && lost.some((h) => h.contactId === mine)) contactOf.set(c.id, taken);
  }
  await query(
    `delete from contacts c using jsonb_to_recordset($1::jsonb) as x("tenantId" uuid, "contactId" uuid)
      where c.tenant_id = x."tenantId" and c.id = x."contactId"
        and not exists (select 1 from contact_handles h where h.tenant_id = c.tenant_id and h.contact_id = c.id)`,
    [json(lost.map((h) => ({ tenantId: h.tenantId, contactId: h.contactId })))],
  );
}

function handles(...candidates: [HandleKind, unknown][]): Handle[] {
  const out: Handle[] = [];
  for (const [kind, raw] of candidates) {
    const value = typeof raw === "string" ? normaliseHandle(kind, raw) : null;
    if (value !== null && value.length <= 320) out.push({ kind, value });
  }
  return out;
}

interface Table {
  name: "engagements" | "calls" | "leads";
  /** Columns read for the claim, and which rows still need work. */
  columns: string;
  pending: string;
  claim(row: Rows[number]): Claim;
  /** Extra work on the batch's rows, after their contacts are set. */
  after?: (query: Query, ids: { tenantId: string; id: string }[]) => Promise<void>;
}

const tables: Table[] = [
  {
    name: "engagements",
    columns: "channel::text as channel, customer",
    pending: "(contact_id is null or message is not null)",
    claim: (r) => ({
      tenantId: String(r.tenant_id),
      id: String(r.id),
      handles: handles([handleKindOf(r.channel as Channel), r.customer]),
      name: null,
    }),
    // The customer's first message becomes the thread's first row (written at the engagement's creation time).
    after: async (query, ids) => {
      const batch = json(ids);
      await query(
        `insert into messages (tenant_id, engagement_id, kind, author_type, author_id, author_name, body, created_at)
         select e.tenant_id, e.id, 'inbound', 'customer', e.contact_id, left(coalesce(c.name, e.customer), 200), left(e.message, 20000), e.created_at
           from jsonb_to_recordset($1::jsonb) as x("tenantId" uuid, id uuid)
           join engagements e on e.tenant_id = x."tenantId" and e.id = x.id
           left join contacts c on c.tenant_id = e.tenant_id and c.id = e.contact_id
          where e.message is not null`,
        [batch],
      );
      await query(
        `update engagements e set message = null, last_message_at = coalesce(e.last_message_at, e.created_at)
           from jsonb_to_recordset($1::jsonb) as x("tenantId" uuid, id uuid)
          where e.tenant_id = x."tenantId" and e.id = x.id and e.message is not null`,
        [batch],
      );
    },
  },
  {
    name: "calls",
    columns: "customer_phone",
    pending: "contact_id is null",
    claim: (r) => ({ tenantId: String(r.tenant_id), id: String(r.id), handles: handles(["phone", r.customer_phone]), name: null }),
  },
  {
    name: "leads",
    columns: "name, email, phone",
    pending: "contact_id is null",
    claim: (r) => ({
      tenantId: String(r.tenant_id),
      id: String(r.id),
      handles: handles(["email", r.email], ["phone", r.phone]),
      name: typeof r.name === "string" ? r.name : null,
    }),
  },
];

/**
 * One table, in primary-key order, BATCH rows per transaction. Rows without a usable handle keep contact_id null
 * and are passed over (the key moves on), so the loop always ends.
 */
async function backfill(client: OnlineClient, table: Table, log: (line: string) => void) {
  let after = { tenantId: ZERO, id: ZERO };
  let total = 0;
  for (;;) {
    const count = await client.transaction(async (query) => {
      const rows = await query(
        `select tenant_id, id, ${table.columns} from ${table.name}
          where ${table.pending} and (tenant_id, id) > ($1::uuid, $2::uuid)
          order by tenant_id, id limit ${BATCH}`,
        [after.tenantId, after.id],
      );
      if (rows.length === 0) return 0;
      const claims = rows.map(table.claim);
      const contactOf = await contactsFor(query, claims);
      const links = claims.flatMap((c) => {
        const contactId = contactOf.get(c.id);
        return contactId ? [{ tenantId: c.tenantId, id: c.id, contactId }] : [];
      });
      if (links.length > 0) {
        await query(
          `update ${table.name} t set contact_id = x."contactId"
             from jsonb_to_recordset($1::jsonb) as x("tenantId" uuid, id uuid, "contactId" uuid)
            where t.tenant_id = x."tenantId" and t.id = x.id and t.contact_id is null`,
          [json(links)],
        );
      }
      const ids = claims.map((c) => ({ tenantId: c.tenantId, id: c.id }));
      await table.after?.(query, ids);
      after = ids[ids.length - 1]!;
      return rows.length;
    });
    total += count;
    if (count < BATCH) break;
  }
  if (total > 0) log(`online migration 0014: ${table.name}: ${total} rows given contacts${table.after ? " and threads" : ""}`);
}

export const conversations0014: OnlineMigration = {
  name: "0014-conversations",
  async run(client, log) {
    for (const table of tables) await backfill(client, table, log);
    const nullsFirst = (col: string) => `${col} DESC NULLS FIRST`;
    await createIndexConcurrently(client, "engagements_tenant_assignee_created_idx", `ON "engagements" USING btree ("tenant_id","assigned_user_id",${nullsFirst('"created_at"')},${nullsFirst('"id"')})`);
    await createIndexConcurrently(client, "engagements_tenant_contact_created_idx", `ON "engagements" USING btree ("tenant_id","contact_id",${nullsFirst('"created_at"')},${nullsFirst('"id"')})`);
    await createIndexConcurrently(client, "engagements_subject_search_idx", SUBJECT_SEARCH_INDEX);
    await createIndexConcurrently(client, "calls_tenant_contact_started_idx", `ON "calls" USING btree ("tenant_id","contact_id",${nullsFirst('"started_at"')},${nullsFirst('"id"')})`);
    await createIndexConcurrently(client, "leads_tenant_contact_created_idx", `ON "leads" USING btree ("tenant_id","contact_id",${nullsFirst('"created_at"')},${nullsFirst('"id"')})`);
    await validateConstraint(client, "engagements", "engagements_contact_fk");
    await validateConstraint(client, "engagements", "engagements_csat_comment_length");
    await validateConstraint(client, "calls", "calls_contact_fk");
    await validateConstraint(client, "leads", "leads_contact_fk");
    await validateConstraint(client, "engagement_events", "engagement_events_message_fk");
  },
};
