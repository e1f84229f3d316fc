/**
 * The erasure proof (issue 15): a customer's e-mail address, phone number (E.164 and as typed), name and a phrase
 * from their conversation, spread through every path the product writes them (conversation, reply, note, inbound SMS,
 * call transcript and outcome, lead, CSAT comment and survey mail, webhook events, jobs), are found NOWHERE after
 * privacy.eraseContact: every text, varchar, json, jsonb, tsvector and array column of every table in `public` and
 * `pgboss` is searched as the owner role, read from the catalog, so a column added later is searched too. The same
 * search run before the erasure must find every needle (the search can see the rows), and a second customer of the
 * same tenant is found, unchanged, afterwards.
 */
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calls, engagements, leads, messages, rowsOf, webhookEndpoints, webhookEventTypes, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { answerSurvey, csatSurveyUrl } from "../src/routers/csat/csat.service";
import { createKeyFixture, callerFor, createTenantWithRoles, testAuth } from "../src/testing";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "erasure-proof", { tier: "enterprise" });
  // Replies on SMS conversations go out through Twilio (a job per reply).
  await acme.as(acme.admin).integrations.twilio.set({ accountSid: `AC${"7e".repeat(16)}`, authToken: "5f".repeat(16), fromNumber: "+14155550100" });
  // A subscriber to every event: each change below leaves its payload in the webhook outbox.
  await withScope(t.app, { tenantId: acme.tenant.id }, (tx) =>
    tx.insert(webhookEndpoints).values({
      tenantId: acme.tenant.id,
      url: "https://93.184.216.34/hooks",
      events: [...webhookEventTypes],
      secretCiphertext: "sealed (never opened here)",
    }),
  );
});
afterAll(() => t?.close());

interface Person {
  typedEmail: string;
  email: string;
  typedPhone: string;
  phone: string;
  name: string;
  phrase: string;
}

const erin: Person = {
  typedEmail: "Erin.Proofington@Example.TEST",
  email: "erin.proofington@example.test",
  typedPhone: "+44 20 7946 0321",
  phone: "+442079460321",
  name: "Erin Proofington",
  phrase: "purple-walrus-4711",
};
const bo: Person = {
  typedEmail: "Bo.Bystander@Example.TEST",
  email: "bo.bystander@example.test",
  typedPhone: "+44 20 7946 0654",
  phone: "+442079460654",
  name: "Bo Bystander",
  phrase: "orange-otter-2323",
};
const needlesOf = (p: Person) => [p.email, p.phone, p.typedPhone, p.name, p.phrase];

/** Everything the product stores about a person, through its own procedures. Answers their contact and rows. */
async function seed(p: Person, n: number) {
  const agent = acme.as(acme.agent);
  const e = await agent.engagements.create({
    channel: "email",
    customer: p.typedEmail,
    subject: `Order ${n}: ${p.phrase}`,
    message: `Hello, ${p.name} here about ${p.phrase}. Call me on ${p.typedPhone}.`,
  });
  await agent.contacts.update({ id: e.contactId!, name: p.name, phone: p.typedPhone });
  await agent.messages.send({ engagementId: e.id, body: `Dear ${p.name}, we looked into ${p.phrase}.` });
  await agent.messages.note({ engagementId: e.id, body: `${p.name} (${p.typedEmail}) is upset about ${p.phrase}` });
  const { key } = await createKeyFixture(t.app, acme.tenant.id, "agent", `sms-${n}`);
  const sms = await callerFor(t.app, { apiKey: key }).messages.ingest({
    channel: "sms",
    handle: p.typedPhone,
    name: p.name,
    body: `Texting about ${p.phrase}`,
    externalId: `proof-sms-${n}`,
  });
  expect(sms.engagement.contactId).toBe(e.contactId);
  // A reply by SMS goes out through Twilio as a job; when Twilio refuses the number, the job's answer and the
  // message's delivery error quote it (as twilio/send-job.ts's markFailed writes them).
  const reply = await agent.messages.send({ engagementId: sms.engagement.id, body: `On it, ${p.name}` });
  const refusal = `The customer's number ${p.phone} is not an international number (+<country code><number>)`;
  const [queued] = rowsOf<{ id: string }>(await t.owner.db.execute(sql`select id from pgboss.job where name = 'twilio.send' and data->>'messageId' = ${reply.id}`));
  expect(queued).toBeDefined();
  await t.owner.db.execute(sql`update pgboss.job set state = 'completed', completed_on = now(), output = ${JSON.stringify({ failed: refusal })}::jsonb where id = ${queued!.id}`);
  await t.owner.db.update(messages).set({ deliveryStatus: "failed", deliveryError: refusal }).where(eq(messages.id, reply.id));
  const call = await agent.calls.create({ direction: "inbound", customerPhone: p.typedPhone });
  await agent.calls.update({ id: call.id, status: "completed", outcome: `Promised ${p.phrase}`, transcript: `${p.name}: my ${p.phrase} broke. Mail ${p.email}` });
  const lead = await agent.leads.create({ name: p.name, email: p.typedEmail, phone: p.typedPhone, source: `fair: ${p.phrase}` });
  expect(lead.contactId).toBe(e.contactId);
  // Resolving mails the customer a survey; they answer it with a comment.
  await agent.engagements.updateStatus({ id: e.id, status: "resolved" });
  const [resolved] = await withScope(t.app, { tenantId: acme.tenant.id }, (tx) => tx.select().from(engagements).where(eq(engagements.id, e.id)));
  const secrets = testAuth(t.app).secrets;
  const token = csatSurveyUrl({ secrets, baseUrl: "http://erasure-proof.localhost:3000" }, resolved!)!.split("/csat/")[1]!;
  const answer = await answerSurvey(
    { db: t.app, secrets, slug: "erasure-proof", token, ip: "203.0.113.9", limitPerMinute: 0 },
    { rating: "2", comment: `${p.name} says: ${p.phrase} still broken` },
  );
  expect(answer).toMatchObject({ kind: "thanks" });
  return { contactId: e.contactId!, engagementIds: [e.id, sms.engagement.id], callId: call.id, leadId: lead.id, survey: token };
}

interface Column {
  schema: string;
  table: string;
  column: string;
}

/** Every column that can hold text, from the catalog (tables and partitioned parents; partitions via their parent). */
async function textColumns(): Promise<Column[]> {
  return rowsOf<Column>(
    await t.owner.db.execute(sql`
      select n.nspname as schema, c.relname as table, a.attname as column
      from pg_attribute a
      join pg_class c on c.oid = a.attrelid
      join pg_namespace n on n.oid = c.relnamespace
      join pg_type ty on ty.oid = a.atttypid
      where n.nspname in ('public', 'pgboss') and c.relkind in ('r', 'p') and not c.relispartition
        and a.attnum > 0 and not a.attisdropped
        and (ty.typname in ('text', 'varchar', 'bpchar', 'json', 'jsonb', 'tsvector', 'citext', 'xml')
             or (ty.typcategory = 'A' and ty.typelem in ('text'::regtype, 'varchar'::regtype, 'jsonb'::regtype, 'json'::regtype)))
      order by 1, 2, 3`),
  );
}

/** Which needles appear (case-insensitively, anywhere in the value's text) in which column: `schema.table.column: needle`. */
async function search(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const c of await textColumns()) {
    const column = sql.raw(`${quote(c.schema)}.${quote(c.table)}`);
    const rows = rowsOf<{ needle: string }>(
      await t.owner.db.execute(sql`
        select n as needle from unnest(${`{${needles.map((s) => `"${s}"`).join(",")}}`}::text[]) as n
        where exists (select 1 from ${column} where strpos(lower(${sql.raw(quote(c.column))}::text), lower(n)) > 0)`),
    );
    for (const r of rows) found.push(`${c.schema}.${c.table}.${c.column}: ${r.needle}`);
  }
  return found;
}
const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** Bo's rows as stored, to compare before and after Erin's erasure. */
async function rowsAbout(contactId: string) {
  const db = t.owner.db;
  const theirEngagements = await db.select().from(engagements).where(eq(engagements.contactId, contactId)).orderBy(engagements.id);
  const ids = theirEngagements.map((e) => e.id);
  return {
    engagements: theirEngagements,
    messages: (await db.select().from(messages).orderBy(messages.id)).filter((m) => ids.includes(m.engagementId)),
    calls: await db.select().from(calls).where(eq(calls.contactId, contactId)),
    leads: await db.select().from(leads).where(eq(leads.contactId, contactId)),
  };
}

describe("the erasure proof", () => {
  it("after privacy.eraseContact no column of any table holds the person's e-mail, phone, name or phrase; the bystander is untouched", async () => {
    const erinRows = await seed(erin, 1);
    const boRows = await seed(bo, 2);
    expect(erinRows.contactId).not.toBe(boRows.contactId);

    // The search sees the data: before the erasure every needle is found, in several tables.
    const before = await search([...needlesOf(erin), ...needlesOf(bo)]);
    for (const needle of [...needlesOf(erin), ...needlesOf(bo)]) {
      expect(before.filter((hit) => hit.endsWith(`: ${needle}`)).length, needle).toBeGreaterThan(0);
    }
    for (const table of ["contacts", "contact_handles", "engagements", "messages", "calls", "leads", "webhook_events", "email_outbox"]) {
      const about = (hit: string) => hit.endsWith(`: ${erin.phrase}`) || hit.endsWith(`: ${erin.email}`) || hit.endsWith(`: ${erin.phone}`);
      expect(before.some((hit) => hit.startsWith(`public.${table}.`) && about(hit)), table).toBe(true);
    }
    expect(before).toContain(`pgboss.job.output: ${erin.phone}`);
    const boBefore = await rowsAbout(boRows.contactId);

    const result = await acme.as(acme.owner).privacy.eraseContact({ contactId: erinRows.contactId, confirm: true });
    expect(result.erased).toEqual({ messages: 5, engagements: 2, calls: 1, leads: 1 });

    expect(await search(needlesOf(erin))).toEqual([]);
    // The survey link mailed to them is dead: nothing new can be written about them through it.
    const survey = { db: t.app, secrets: testAuth(t.app).secrets, slug: "erasure-proof", token: erinRows.survey, ip: "203.0.113.9", limitPerMinute: 0 };
    expect(await answerSurvey(survey, { rating: "1", comment: `${erin.phrase} again` })).toMatchObject({ kind: "not-found" });
    // What is left announces the erasure to webhook receivers (payloads with nothing personal: searched above).
    const announced = rowsOf<{ type: string }>(
      await t.owner.db.execute(sql`select type from webhook_events where tenant_id = ${acme.tenant.id} and data->>'erased' = 'true' order by type`),
    );
    expect(announced.map((r) => r.type)).toEqual(["call.updated", "engagement.updated", "engagement.updated", "lead.updated"]);
    // Bo: everything still there, row for row.
    const after = await search(needlesOf(bo));
    for (const needle of needlesOf(bo)) expect(after.filter((hit) => hit.endsWith(`: ${needle}`)).length, needle).toBeGreaterThan(0);
    expect(await rowsAbout(boRows.contactId)).toEqual(boBefore);
    // Erin's rows stay for the counts, anonymised.
    const erinAfter = await rowsAbout(erinRows.contactId);
    const byChannel = Object.fromEntries(erinAfter.engagements.map((e) => [e.channel, e]));
    expect(byChannel.email).toMatchObject({ customer: "erased", subject: null, csatComment: null, status: "resolved", csat: 2, erasedAt: expect.any(Date) });
    expect(byChannel.sms).toMatchObject({ customer: "erased", status: "open", erasedAt: expect.any(Date) });
    expect(erinAfter.messages).toHaveLength(5);
  });
});
