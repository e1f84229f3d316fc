import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, contactHandles, contacts, engagementEvents, engagements, messages, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { allPages, createTenantWithRoles } from "../../testing";
import { contactsPage } from "./contacts.service";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "contacts-acme");
  other = await createTenantWithRoles(t.app, "contacts-other");
});
afterAll(() => t?.close());

/** A conversation of `contactId` with one customer line (as engagements.create / messages.ingest would write). */
async function conversation(tenantId: string, contactId: string, customer: string) {
  return withScope(t.app, { tenantId }, async (tx) => {
    const [e] = await tx.insert(engagements).values({ tenantId, channel: "email", customer, contactId, subject: "Help" }).returning();
    await tx.insert(messages).values({
      tenantId,
      engagementId: e!.id,
      kind: "inbound",
      authorType: "customer",
      authorId: contactId,
      authorName: customer,
      body: "Hello",
    });
    return e!.id;
  });
}

describe("contacts", () => {
  it("creates with normalised handles, reads with its handles and history, updates", async () => {
    const agent = acme.as(acme.agent);
    const ada = await agent.contacts.create({
      name: "Ada Lovelace",
      email: "ADA@Example.com",
      phone: "+44 20 7946 0001",
      handles: [{ kind: "twitter", value: "@AdaL" }],
    });
    expect(ada).toEqual({
      id: expect.any(String),
      name: "Ada Lovelace",
      email: "ada@example.com",
      phone: "+442079460001",
      erasedAt: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    // Calls and leads find her by any format of her handles.
    const call = await agent.calls.create({ direction: "inbound", customerPhone: "0044 20 7946 0001" });
    const lead = await agent.leads.create({ name: "Ada L.", email: "ada@EXAMPLE.com" });
    expect([call.contactId, lead.contactId]).toEqual([ada.id, ada.id]);
    const engagementId = await conversation(acme.tenant.id, ada.id, "ada@example.com");

    const got = await acme.as(acme.viewer).contacts.get({ id: ada.id });
    expect(got).toMatchObject({
      ...ada,
      handles: [
        { kind: "email", value: "ada@example.com" },
        { kind: "phone", value: "+442079460001" },
        { kind: "twitter", value: "@adal" },
      ],
      engagements: [{ id: engagementId, channel: "email", customer: "ada@example.com", subject: "Help", status: "new" }],
      calls: [{ id: call.id, contactId: ada.id }],
      leads: [{ id: lead.id, contactId: ada.id }],
    });

    const renamed = await agent.contacts.update({ id: ada.id, name: "Augusta Ada King", email: "augusta@example.com", phone: null });
    expect(renamed).toMatchObject({ name: "Augusta Ada King", email: "augusta@example.com", phone: null });
    // The new address is hers too; the old ones stay (she may still write from them).
    const handles = (await agent.contacts.get({ id: ada.id })).handles.map((h) => h.value);
    expect(handles).toEqual(expect.arrayContaining(["ada@example.com", "augusta@example.com", "+442079460001"]));
    expect((await agent.leads.create({ name: "Again", email: "Augusta@example.com" })).contactId).toBe(ada.id);
  });

  it("a handle already someone else's is CONFLICT on create and update, and nothing is written", async () => {
    const agent = acme.as(acme.agent);
    const owner = await agent.contacts.create({ name: "Owner", email: "owner@conflict.test", phone: "+15550300000" });
    await expect(agent.contacts.create({ name: "Copy", email: "OWNER@conflict.test" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(agent.contacts.create({ name: "Copy", handles: [{ kind: "phone", value: "+1 555 030 0000" }] })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    const second = await agent.contacts.create({ name: "Second" });
    await expect(agent.contacts.update({ id: second.id, phone: "+1 (555) 030-0000" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await agent.contacts.get({ id: second.id })).toMatchObject({ phone: null, handles: [] });
    expect((await agent.contacts.list({ q: "Copy" })).items).toEqual([]);
    // Giving a contact its own handle again is fine.
    expect(await agent.contacts.update({ id: owner.id, email: "owner@conflict.test" })).toMatchObject({ email: "owner@conflict.test" });
  });

  it("searches by name, e-mail, phone in any format and handle; wildcards are literal; pages", async () => {
    const p = await createTenantWithRoles(t.app, "contacts-search");
    const agent = p.as(p.agent);
    const grace = await agent.contacts.create({ name: "Grace Hopper", email: "grace@navy.test" });
    const linus = await agent.contacts.create({ name: "Linus", phone: "+1 (555) 000-1111" });
    const chat = await agent.contacts.create({ name: "under_score", handles: [{ kind: "chat", value: "visitor-42" }, { kind: "twitter", value: "@Chatty" }] });
    const percent = await agent.contacts.create({ name: "100% Real" });
    const q = async (text: string) => (await p.as(p.viewer).contacts.list({ q: text })).items.map((c) => c.id);
    expect(await q("hopper")).toEqual([grace.id]);
    expect(await q("GRACE@NAVY")).toEqual([grace.id]);
    expect(await q("+15550001111")).toEqual([linus.id]);
    expect(await q("+1 (555) 000-1111")).toEqual([linus.id]);
    expect(await q("000-1111")).toEqual([linus.id]);
    // Other handles match whole, in their normal form.
    expect(await q("visitor-42")).toEqual([chat.id]);
    expect(await q("@chatty")).toEqual([chat.id]);
    expect(await q("chatty")).toEqual([chat.id]);
    expect(await q("visitor")).toEqual([]);
    // An address that is no longer the primary one still finds its contact.
    await agent.contacts.update({ id: grace.id, email: "grace@retired.test" });
    expect(await q("Grace@Navy.test")).toEqual([grace.id]);
    expect(await q("%")).toEqual([percent.id]);
    expect(await q("_")).toEqual([chat.id]);
    expect(await q("nobody")).toEqual([]);
    expect(await q("")).toEqual([percent.id, chat.id, linus.id, grace.id]);
    const { items, pages } = await allPages((cursor) => agent.contacts.list({ limit: 3, cursor }));
    expect(pages).toBe(2);
    expect(items.map((c) => c.id)).toEqual([percent.id, chat.id, linus.id, grace.id]);
    // Another tenant's contacts are never found.
    expect((await other.as(other.owner).contacts.list({ q: "grace" })).items).toEqual([]);
  });

  it("search stays on the list's index under RLS (no sort; handles by equality on their unique index)", async () => {
    const plan = await withScope(t.app, { tenantId: acme.tenant.id }, async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      await tx.execute(sql`set local enable_bitmapscan = off`);
      const result = await tx.execute(sql`explain (costs off) ${contactsPage(tx, acme.tenant.id, { q: "Ada@Example.com", limit: 50 }).getSQL()}`);
      const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as Record<string, string>[];
      return rows.map((r) => r["QUERY PLAN"]).join("\n");
    });
    expect(plan).toMatch(/Index Scan using contacts_tenant_created_idx/);
    expect(plan).toMatch(/contact_handles_tenant_kind_value_unique/);
    expect(plan).not.toMatch(/Sort/);
  });

  it("merge moves engagements, calls, leads, handles and the customer's messages, fills gaps, deletes the merged one, audited", async () => {
    const agent = acme.as(acme.agent);
    const byMail = await agent.contacts.create({ email: "kim@merge.test", handles: [{ kind: "twitter", value: "@kim" }] });
    const byPhone = await agent.contacts.create({ name: "Kim", phone: "+15550400000" });
    const mailThread = await conversation(acme.tenant.id, byMail.id, "kim@merge.test");
    const keptThread = await conversation(acme.tenant.id, byPhone.id, "+15550400000");
    const callA = await agent.calls.create({ direction: "inbound", customerPhone: "+15550400000" });
    const lead = await agent.leads.create({ name: "Kim", email: "kim@merge.test" });
    expect([callA.contactId, lead.contactId]).toEqual([byPhone.id, byMail.id]);

    const merged = await acme.as(acme.admin).contacts.merge({ id: byMail.id, intoId: byPhone.id });
    expect(merged).toMatchObject({
      id: byPhone.id,
      name: "Kim",
      email: "kim@merge.test",
      phone: "+15550400000",
      moved: { engagements: 1, calls: 0, leads: 1, handles: 2 },
    });
    await expect(agent.contacts.get({ id: byMail.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const into = await agent.contacts.get({ id: byPhone.id });
    expect(into.handles.map((h) => h.value)).toEqual(["kim@merge.test", "+15550400000", "@kim"]);
    expect(into.engagements.map((e) => e.id).sort()).toEqual([mailThread, keptThread].sort());
    expect(into.calls.map((c) => c.id)).toEqual([callA.id]);
    expect(into.leads.map((l) => l.id)).toEqual([lead.id]);
    // No row anywhere still names the merged contact.
    const db = t.owner.db;
    expect(await db.select().from(engagements).where(eq(engagements.contactId, byMail.id))).toEqual([]);
    expect(await db.select().from(messages).where(eq(messages.authorId, byMail.id))).toEqual([]);
    expect(await db.select().from(contactHandles).where(eq(contactHandles.contactId, byMail.id))).toEqual([]);
    expect(await db.select().from(contacts).where(eq(contacts.id, byMail.id))).toEqual([]);
    // Live views hear of the moved conversation (and only of it).
    const events = await db.select().from(engagementEvents).where(eq(engagementEvents.tenantId, acme.tenant.id));
    expect(events.filter((e) => e.engagementId === mailThread).map((e) => e.type)).toEqual(["updated"]);
    expect(events.filter((e) => e.engagementId === keptThread)).toEqual([]);
    // Later matches find the survivor by either handle.
    expect((await agent.leads.create({ name: "Kim", email: "KIM@merge.test" })).contactId).toBe(byPhone.id);
    const entries = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, acme.tenant.id), eq(auditLog.action, "contacts.merge")));
    expect(entries.map((e) => [e.resourceType, e.resourceId, e.result])).toEqual([["contact", byMail.id, "success"]]);
  });

  it("merge: same id twice is BAD_REQUEST; agents may not merge; a missing side is NOT_FOUND and nothing moves", async () => {
    const a = await acme.as(acme.agent).contacts.create({ name: "A", email: "a@merge2.test" });
    const b = await acme.as(acme.agent).contacts.create({ name: "B" });
    await expect(acme.as(acme.admin).contacts.merge({ id: a.id, intoId: a.id })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(acme.as(acme.agent).contacts.merge({ id: a.id, intoId: b.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(acme.as(acme.admin).contacts.merge({ id: a.id, intoId: crypto.randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await acme.as(acme.viewer).contacts.get({ id: a.id })).handles).toEqual([{ kind: "email", value: "a@merge2.test" }]);
  });

  it("validates input", async () => {
    const agent = acme.as(acme.agent);
    await expect(agent.contacts.create({})).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.contacts.create({ email: "not-an-email" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.contacts.create({ handles: [{ kind: "email", value: "nope" }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.contacts.create({ handles: [{ kind: "pager" as never, value: "x" }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.contacts.create({ name: "x".repeat(201) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.contacts.create({ name: "X", tenantId: acme.tenant.id } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.contacts.list({ q: "x".repeat(201) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.contacts.list({ cursor: "garbage" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.contacts.get({ id: "123" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Valid input whose normal form is too long for a handle (the @ an @handle gains) or empty: refused, not a 500.
    await expect(agent.contacts.create({ handles: [{ kind: "twitter", value: "a".repeat(320) }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.contacts.create({ handles: [{ kind: "twitter", value: "@@@" }] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("viewers read but cannot write", async () => {
    const c = await acme.as(acme.agent).contacts.create({ name: "Kept" });
    const viewer = acme.as(acme.viewer);
    await expect(viewer.contacts.create({ name: "No" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.contacts.update({ id: c.id, name: "No" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await viewer.contacts.get({ id: c.id })).name).toBe("Kept");
  });

  it("another tenant's contact is NOT_FOUND from every procedure and stays unchanged", async () => {
    const mine = await acme.as(acme.agent).contacts.create({ name: "Private", email: "private@acme.test" });
    const before = await acme.as(acme.owner).contacts.get({ id: mine.id });
    const theirs = await other.as(other.owner).contacts.create({ name: "Theirs" });
    const intruder = other.as(other.owner);
    await expect(intruder.contacts.get({ id: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.contacts.update({ id: mine.id, name: "Mine now" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.contacts.merge({ id: mine.id, intoId: theirs.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.contacts.merge({ id: theirs.id, intoId: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await intruder.contacts.list({ q: "private" })).items).toEqual([]);
    // The same address in the other tenant is simply another contact there.
    expect(await intruder.contacts.create({ email: "private@acme.test" })).toMatchObject({ email: "private@acme.test" });
    expect(await acme.as(acme.owner).contacts.get({ id: mine.id })).toEqual(before);
    expect((await intruder.contacts.get({ id: theirs.id })).name).toBe("Theirs");
  });
});
