import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, calls, contactHandles, contacts, engagements, leads, messages, rowsOf, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { codeOf, createTenantWithRoles } from "../../testing";
import { eraseContact, erasureBatchSize, type InTransaction, messagesBatch } from "./privacy.service";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "privacy-acme");
  other = await createTenantWithRoles(t.app, "privacy-other");
});
afterAll(() => t?.close());

/** A customer with an e-mail conversation (first message, reply, note), a call with a transcript and a lead. */
async function customer(email: string, phone: string) {
  const agent = acme.as(acme.agent);
  const e = await agent.engagements.create({ channel: "email", customer: email, subject: "Broken kettle", message: "It leaks" });
  await agent.contacts.update({ id: e.contactId!, name: "Kim Kettle", phone });
  await agent.messages.send({ engagementId: e.id, body: "Sorry to hear that" });
  await agent.messages.note({ engagementId: e.id, body: "Kim is upset about the kettle" });
  const call = await agent.calls.create({ direction: "inbound", customerPhone: phone });
  await agent.calls.update({ id: call.id, status: "completed", outcome: "Replacement sent", transcript: "Kim: it leaks" });
  const lead = await agent.leads.create({ name: "Kim Kettle", email, phone, source: "kettle fair" });
  return { engagementId: e.id, contactId: e.contactId!, callId: call.id, leadId: lead.id };
}

describe("privacy.findContact", () => {
  it("finds a person by e-mail or phone as typed (normalised like contacts), with the rows an erasure would touch", async () => {
    const kim = await customer("kim@kettle.test", "+44 20 7946 0111");
    const admin = acme.as(acme.admin);
    const byEmail = await admin.privacy.findContact({ email: "  KIM@Kettle.test " });
    expect(byEmail).toEqual({
      contact: {
        id: kim.contactId,
        name: "Kim Kettle",
        email: "kim@kettle.test",
        phone: "+442079460111",
        handles: [
          { kind: "email", value: "kim@kettle.test" },
          { kind: "phone", value: "+442079460111" },
        ],
        erasedAt: null,
      },
      counts: { engagements: 1, messages: 3, calls: 1, leads: 1 },
    });
    expect(await admin.privacy.findContact({ phone: "0044 (20) 7946-0111" })).toEqual(byEmail);
  });

  it("NOT_FOUND for nobody and for another tenant's customer; exactly one address, well formed", async () => {
    const admin = acme.as(acme.admin);
    await other.as(other.agent).engagements.create({ channel: "email", customer: "elsewhere@other.test", message: "Hi" });
    expect(await codeOf(admin.privacy.findContact({ email: "nobody@kettle.test" }))).toBe("NOT_FOUND");
    expect(await codeOf(admin.privacy.findContact({ email: "elsewhere@other.test" }))).toBe("NOT_FOUND");
    for (const input of [{}, { email: "a@b.test", phone: "+15550001111" }, { email: "not an address" }, { phone: "call me" }, { email: "a\u0000@b.test" }, { name: "Kim" }]) {
      expect(await codeOf(admin.privacy.findContact(input as never)), JSON.stringify(input)).toBe("BAD_REQUEST");
    }
  });
});

describe("privacy.eraseContact", () => {
  it("anonymises the person's rows and keeps them; audited; a second erasure answers zeros; others untouched", async () => {
    const kim = await customer("kim2@kettle.test", "+44 20 7946 0222");
    const bystander = await customer("bo@kettle.test", "+44 20 7946 0333");
    const owner = acme.as(acme.owner);
    expect(await owner.privacy.eraseContact({ contactId: kim.contactId, confirm: true })).toEqual({
      erased: { messages: 3, engagements: 1, calls: 1, leads: 1 },
    });

    const viewer = acme.as(acme.viewer);
    expect(await viewer.engagements.get({ id: kim.engagementId })).toMatchObject({ customer: "erased", subject: null, csatComment: null, erased: true, status: "open" });
    const thread = (await viewer.messages.list({ engagementId: kim.engagementId })).items;
    expect(thread.map((m) => [m.kind, m.body, m.redacted])).toEqual([
      ["inbound", "", true],
      ["outbound", "", true],
      ["note", "", true],
    ]);
    expect(thread[0]!.author.name).toBe("Erased");
    expect(thread[1]!.author.name).toBe(acme.agent.name);
    expect(await viewer.calls.get({ id: kim.callId })).toMatchObject({ customerPhone: "erased", transcript: null, outcome: null, status: "completed", erased: true });
    expect(await viewer.leads.get({ id: kim.leadId })).toMatchObject({ name: "Erased", email: null, phone: null, source: null, erased: true });
    expect(await viewer.contacts.get({ id: kim.contactId })).toMatchObject({ name: null, email: null, phone: null, handles: [], erasedAt: expect.any(String) });
    // The old address finds nobody; a new message from it starts a new contact.
    expect(await codeOf(acme.as(acme.admin).privacy.findContact({ email: "kim2@kettle.test" }))).toBe("NOT_FOUND");

    const [entry] = await t.owner.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, acme.tenant.id), eq(auditLog.action, "privacy.eraseContact")));
    expect(entry).toMatchObject({
      result: "success",
      resourceType: "contact",
      resourceId: kim.contactId,
      details: { messages: 3, engagements: 1, calls: 1, leads: 1 },
    });

    expect(await owner.privacy.eraseContact({ contactId: kim.contactId, confirm: true })).toEqual({
      erased: { messages: 0, engagements: 0, calls: 0, leads: 0 },
    });

    expect(await viewer.engagements.get({ id: bystander.engagementId })).toMatchObject({ customer: "bo@kettle.test", subject: "Broken kettle", erased: false });
    expect((await viewer.messages.list({ engagementId: bystander.engagementId })).items.map((m) => m.body)).toEqual([
      "It leaks",
      "Sorry to hear that",
      "Kim is upset about the kettle",
    ]);
    expect(await viewer.calls.get({ id: bystander.callId })).toMatchObject({ transcript: "Kim: it leaks", customerPhone: "+44 20 7946 0333" });
    expect((await acme.as(acme.admin).privacy.findContact({ email: "bo@kettle.test" })).counts).toEqual({ engagements: 1, messages: 3, calls: 1, leads: 1 });
  });

  it("another tenant's contact is NOT_FOUND and stays; confirm must be true", async () => {
    const theirs = await other.as(other.agent).engagements.create({ channel: "chat", customer: "visitor-9", message: "Hello there" });
    const owner = acme.as(acme.owner);
    expect(await codeOf(owner.privacy.eraseContact({ contactId: theirs.contactId!, confirm: true }))).toBe("NOT_FOUND");
    expect(await codeOf(owner.privacy.eraseContact({ contactId: crypto.randomUUID(), confirm: true }))).toBe("NOT_FOUND");
    for (const input of [{ contactId: theirs.contactId }, { contactId: theirs.contactId, confirm: false }, { contactId: "x", confirm: true }]) {
      expect(await codeOf(owner.privacy.eraseContact(input as never)), JSON.stringify(input)).toBe("BAD_REQUEST");
    }
    expect((await other.as(other.viewer).messages.list({ engagementId: theirs.id })).items[0]).toMatchObject({ body: "Hello there", redacted: false });
  });

  it(`works in batches of ${erasureBatchSize}, each committed: an interrupted erasure keeps what it did and a second call finishes it`, async () => {
    const big = await customer("chatty@kettle.test", "+44 20 7946 0444");
    const extra = 2 * erasureBatchSize + 500;
    await t.owner.db.execute(sql`
      insert into messages (tenant_id, engagement_id, kind, author_type, author_id, author_name, body, created_at)
      select ${acme.tenant.id}::uuid, ${big.engagementId}::uuid, 'inbound', 'customer', ${big.contactId}::uuid, 'Chatty', 'message number ' || i,
             now() - make_interval(secs => ${extra} - i)
      from generate_series(1, ${extra}) as i`);
    // The first run dies after its fourth transaction (the contact, the list of their rows, two message batches).
    let transactions = 0;
    const dying: InTransaction = (fn) => {
      if (++transactions > 4) return Promise.reject(new Error("the process died"));
      return withScope(t.app, { tenantId: acme.tenant.id }, fn);
    };
    await expect(eraseContact(dying, acme.tenant.id, big.contactId)).rejects.toThrow("the process died");
    const left = async () =>
      (
        await t.owner.db
          .select({ n: sql<number>`count(*)::int` })
          .from(messages)
          .where(and(eq(messages.engagementId, big.engagementId), sql`${messages.redactedAt} is null`))
      )[0]!.n;
    expect(await left()).toBe(extra + 3 - 2 * erasureBatchSize);
    expect((await t.owner.db.select().from(contactHandles).where(eq(contactHandles.contactId, big.contactId))).length).toBe(0);

    expect(await acme.as(acme.owner).privacy.eraseContact({ contactId: big.contactId, confirm: true })).toEqual({
      erased: { messages: extra + 3 - 2 * erasureBatchSize, engagements: 1, calls: 1, leads: 1 },
    });
    expect(await left()).toBe(0);
    const [row] = await t.owner.db.select().from(contacts).where(eq(contacts.id, big.contactId));
    expect(row).toMatchObject({ name: null, email: null, phone: null });
    expect((await t.owner.db.select().from(engagements).where(eq(engagements.id, big.engagementId)))[0]!.erasedAt).not.toBeNull();
    expect((await t.owner.db.select().from(calls).where(eq(calls.id, big.callId)))[0]!.erasedAt).not.toBeNull();
    expect((await t.owner.db.select().from(leads).where(eq(leads.id, big.leadId)))[0]!.erasedAt).not.toBeNull();
  });

  it("a batch reads only the person's conversations, along their index, in a tenant with many others (plan as the app role)", async () => {
    const other = await createTenantWithRoles(t.app, "privacy-plan");
    const id = other.tenant.id;
    await t.owner.db.execute(sql`insert into engagements (tenant_id, channel, customer) select ${id}, 'email', 'c' || i || '@plan.test' from generate_series(1, 400) i`);
    await t.owner.db.execute(sql`
      insert into messages (tenant_id, engagement_id, kind, author_type, author_name, body)
      select e.tenant_id, e.id, 'inbound', 'customer', 'C', 'hello ' || i from engagements e, generate_series(1, 100) i where e.tenant_id = ${id}`);
    await t.owner.db.execute(sql`vacuum analyze messages`);
    const [theirs] = await t.owner.db.select({ id: engagements.id }).from(engagements).where(eq(engagements.tenantId, id)).limit(1);
    const plan = await withScope(t.app, { tenantId: id }, async (tx) =>
      rowsOf<Record<string, string>>(await tx.execute(sql`explain (costs off) ${messagesBatch(tx, id, [theirs!.id]).getSQL()}`))
        .map((r) => r["QUERY PLAN"])
        .join("\n"),
    );
    // Both the batch's selection and the update walk the thread index for the person's conversation; nothing else.
    expect(plan.match(/Index Scan using messages_tenant_engagement_created_idx on messages/g)).toHaveLength(2);
    expect(plan).not.toMatch(/Seq Scan|Bitmap/);
  });
});
