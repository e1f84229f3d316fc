import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { engagementLabels, engagements, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { allPages, createTenantWithRoles } from "../../testing";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "labels-acme");
  other = await createTenantWithRoles(t.app, "labels-other");
});
afterAll(() => t?.close());

describe("labels", () => {
  it("admins create, update and delete; everyone reads, by name", async () => {
    const admin = acme.as(acme.admin);
    const vip = await admin.labels.create({ name: "VIP", color: "#1F6FEB" });
    expect(vip).toEqual({ id: expect.any(String), name: "VIP", color: "#1f6feb", createdAt: expect.any(String), updatedAt: expect.any(String) });
    const billing = await admin.labels.create({ name: "billing", color: "#aa0000" });
    const bug = await admin.labels.create({ name: "Bug", color: "#00aa00" });
    expect((await acme.as(acme.viewer).labels.list()).items.map((l) => l.name)).toEqual(["billing", "Bug", "VIP"]);
    const renamed = await admin.labels.update({ id: bug.id, name: "Defect", color: "#000000" });
    expect(renamed).toMatchObject({ id: bug.id, name: "Defect", color: "#000000" });
    expect(await admin.labels.update({ id: billing.id })).toEqual(billing);
    expect(await admin.labels.delete({ id: vip.id })).toEqual({ ok: true, id: vip.id });
    expect((await acme.as(acme.agent).labels.list()).items.map((l) => l.id)).toEqual([billing.id, bug.id]);
    await expect(admin.labels.delete({ id: vip.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("pages by name without duplicates or gaps", async () => {
    const p = await createTenantWithRoles(t.app, "labels-pages");
    const names = ["delta", "Alpha", "charlie", "Echo", "bravo"];
    for (const name of names) await p.as(p.admin).labels.create({ name, color: "#123456" });
    const { items, pages } = await allPages((cursor) => p.as(p.viewer).labels.list({ limit: 2, cursor }));
    expect(pages).toBe(3);
    expect(items.map((l) => l.name)).toEqual(["Alpha", "bravo", "charlie", "delta", "Echo"]);
  });

  it("a name taken in any case is CONFLICT on create and update; other tenants may use it", async () => {
    const admin = acme.as(acme.admin);
    await admin.labels.create({ name: "Urgent", color: "#ff0000" });
    const other1 = await admin.labels.create({ name: "Later", color: "#00ff00" });
    await expect(admin.labels.create({ name: "urgent", color: "#ff0000" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(admin.labels.update({ id: other1.id, name: "URGENT" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await admin.labels.list()).items.filter((l) => l.name.toLowerCase() === "urgent")).toHaveLength(1);
    expect(await other.as(other.admin).labels.create({ name: "Urgent", color: "#ff0000" })).toMatchObject({ name: "Urgent" });
  });

  it("deleting a label takes it off every conversation", async () => {
    const label = await acme.as(acme.admin).labels.create({ name: "Refund", color: "#abcdef" });
    const tenantId = acme.tenant.id;
    const engagementId = await withScope(t.app, { tenantId }, async (tx) => {
      const [e] = await tx.insert(engagements).values({ tenantId, channel: "chat", customer: "visitor" }).returning();
      await tx.insert(engagementLabels).values({ tenantId, engagementId: e!.id, labelId: label.id });
      return e!.id;
    });
    await acme.as(acme.admin).labels.delete({ id: label.id });
    const left = await t.owner.db.select().from(engagementLabels).where(eq(engagementLabels.engagementId, engagementId));
    expect(left).toEqual([]);
    expect(await t.owner.db.select({ id: engagements.id }).from(engagements).where(eq(engagements.id, engagementId))).toHaveLength(1);
  });

  it("validates input", async () => {
    const admin = acme.as(acme.admin);
    for (const color of ["red", "#fff", "#12345g", "1f6feb1"]) {
      await expect(admin.labels.create({ name: "X", color })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    await expect(admin.labels.create({ name: "", color: "#000000" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.labels.create({ name: "x".repeat(51), color: "#000000" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.labels.create({ name: "X", color: "#000000", tenantId: other.tenant.id } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.labels.list({ cursor: "garbage" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("agents and viewers cannot write labels", async () => {
    const l = await acme.as(acme.admin).labels.create({ name: "Kept", color: "#111111" });
    for (const who of [acme.agent, acme.viewer]) {
      const c = acme.as(who);
      await expect(c.labels.create({ name: "No", color: "#111111" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.labels.update({ id: l.id, name: "No" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(c.labels.delete({ id: l.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect((await acme.as(acme.viewer).labels.list()).items.find((x) => x.id === l.id)?.name).toBe("Kept");
  });

  it("another tenant's label is NOT_FOUND, never listed, and stays unchanged", async () => {
    const l = await acme.as(acme.admin).labels.create({ name: "Secret", color: "#222222" });
    const intruder = other.as(other.owner);
    await expect(intruder.labels.update({ id: l.id, name: "Mine" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.labels.delete({ id: l.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await intruder.labels.list()).items.map((x) => x.id)).not.toContain(l.id);
    expect((await acme.as(acme.viewer).labels.list()).items.find((x) => x.id === l.id)).toEqual(l);
  });
});
