import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { allPages, createTenantWithRoles } from "../../testing";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "leads-acme");
  other = await createTenantWithRoles(t.app, "leads-other");
});
afterAll(() => t?.close());

describe("leads", () => {
  it("creates a new lead, reads, updates and deletes it", async () => {
    const agent = acme.as(acme.agent);
    const lead = await agent.leads.create({ name: "Ada", email: "ADA@Example.com ", phone: "+15551234567", source: "web" });
    expect(lead).toEqual({
      id: expect.any(String),
      name: "Ada",
      phone: "+15551234567",
      email: "ada@example.com",
      source: "web",
      status: "new",
      contactId: expect.any(String),
      createdAt: expect.any(String),
      erased: false,
    });
    expect(await acme.as(acme.viewer).leads.get({ id: lead.id })).toEqual(lead);
    const qualified = await agent.leads.update({ id: lead.id, status: "qualified", phone: null });
    expect(qualified).toEqual({ ...lead, status: "qualified", phone: null });
    expect(await agent.leads.delete({ id: lead.id })).toEqual({ ok: true, id: lead.id });
    await expect(agent.leads.get({ id: lead.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("a lead joins the contact of its e-mail, else of its phone; the other handle joins that contact when free", async () => {
    const agent = acme.as(acme.agent);
    const call = await agent.calls.create({ direction: "inbound", customerPhone: "+1 (555) 321-0000" });
    // Known by phone only: matched, and the e-mail joins the contact.
    const byPhone = await agent.leads.create({ name: "Rita", phone: "+15553210000", email: "Rita@Example.com" });
    expect(byPhone.contactId).toBe(call.contactId);
    // Known by e-mail now (case aside), even with another phone.
    const byMail = await agent.leads.create({ name: "Rita R.", email: "rita@example.com", phone: "+15553219999" });
    expect(byMail.contactId).toBe(call.contactId);
    // A lead with neither still gets its own person.
    const anonymous = await agent.leads.create({ name: "Walk-in" });
    expect(anonymous.contactId).toEqual(expect.any(String));
    expect(anonymous.contactId).not.toBe(call.contactId);
    expect((await agent.leads.list({ limit: 3 })).items.map((l) => l.contactId)).toEqual([anonymous.contactId, call.contactId, call.contactId]);
  });

  it("filters by status and paginates without duplicates or gaps", async () => {
    const p = await createTenantWithRoles(t.app, "leads-pages");
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) {
      const l = await p.as(p.agent).leads.create({ name: `Lead ${i}` });
      if (i % 3 === 0) await p.as(p.agent).leads.update({ id: l.id, status: "contacted" });
      ids.push(l.id);
    }
    const { items, pages } = await allPages((cursor) => p.as(p.viewer).leads.list({ limit: 4, cursor }));
    expect(pages).toBe(3);
    expect(items.map((l) => l.id)).toEqual([...ids].reverse());
    const contacted = await allPages((cursor) => p.as(p.viewer).leads.list({ status: "contacted", limit: 2, cursor }));
    expect(contacted.items.map((l) => l.id)).toEqual([ids[6], ids[3], ids[0]]);
  });

  it("validates input", async () => {
    const agent = acme.as(acme.agent);
    await expect(agent.leads.create({ name: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.leads.create({ name: "X", email: "not-an-email" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.leads.create({ name: "X", owner: "me" } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const l = await agent.leads.create({ name: "Y" });
    await expect(agent.leads.update({ id: l.id, status: "won" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.leads.get({ id: "123" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("viewers cannot write leads", async () => {
    const l = await acme.as(acme.agent).leads.create({ name: "Kept" });
    const viewer = acme.as(acme.viewer);
    await expect(viewer.leads.create({ name: "No" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.leads.update({ id: l.id, status: "lost" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.leads.delete({ id: l.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await viewer.leads.get({ id: l.id })).status).toBe("new");
  });

  it("another tenant's lead is NOT_FOUND and stays unchanged", async () => {
    const l = await acme.as(acme.agent).leads.create({ name: "Private" });
    const intruder = other.as(other.owner);
    await expect(intruder.leads.get({ id: l.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.leads.update({ id: l.id, name: "Mine now" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.leads.delete({ id: l.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await acme.as(acme.owner).leads.get({ id: l.id })).toEqual(l);
  });
});
