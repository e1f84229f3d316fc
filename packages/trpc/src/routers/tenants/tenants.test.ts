import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenants } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { addMember, asKey, asUser, callerFor, codeOf, createKeyFixture, createUser } from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

describe("tenants and the current tenant", () => {
  it("creates a tenant with the caller as owner and lists it", async () => {
    const ann = await createUser(t.app, "Ann");
    const created = await asUser(t.app, ann).tenants.create({ name: "Initech", slug: "initech" });
    expect(created).toMatchObject({ slug: "initech", name: "Initech", parentId: null, memberCount: 1, status: "active" });
    const { items } = await asUser(t.app, ann).tenants.list();
    expect(items).toEqual([
      expect.objectContaining({ id: created.id, slug: "initech", role: "owner", memberCount: 1 }),
    ]);
  });

  it("refuses a taken slug with CONFLICT and a reserved or malformed one with BAD_REQUEST", async () => {
    const bo = await createUser(t.app, "Bo");
    await asUser(t.app, bo).tenants.create({ name: "Taken", slug: "taken-slug" });
    await expect(asUser(t.app, bo).tenants.create({ name: "Again", slug: "taken-slug" })).rejects.toMatchObject({
      code: "CONFLICT",
    });
    await expect(asUser(t.app, bo).tenants.create({ name: "Www", slug: "www" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(asUser(t.app, bo).tenants.create({ name: "Bad", slug: "Bad_Slug" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("tenant.current answers members, FORBIDDEN for non-members, NOT_FOUND for unknown slugs", async () => {
    const cy = await createUser(t.app, "Cy");
    const dee = await createUser(t.app, "Dee");
    await asUser(t.app, cy).tenants.create({ name: "Cy Co", slug: "cy-co" });
    expect((await asUser(t.app, cy, "cy-co").tenant.current()).name).toBe("Cy Co");
    await expect(asUser(t.app, dee, "cy-co").tenant.current()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(asUser(t.app, dee, "no-such-tenant").tenant.current()).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(asUser(t.app, cy, null).tenant.current()).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("departments: created by parent admins, inherit branding, parent members act there, never upwards", async () => {
    const eve = await createUser(t.app, "Eve");
    const fay = await createUser(t.app, "Fay");
    const parent = await asUser(t.app, eve).tenants.create({ name: "Parent Org", slug: "parent-org" });
    const dept = await asUser(t.app, eve).tenants.create({ name: "Support", slug: "parent-support", parentId: parent.id });
    expect(dept.parentId).toBe(parent.id);
    expect(dept.branding.primaryColor).toBe(parent.branding.primaryColor);

    // A member of the department only: sees the department, not the parent.
    await addMember(t.app, dept.id, fay.id, "agent");
    expect((await asUser(t.app, fay, "parent-support").tenant.current()).slug).toBe("parent-support");
    await expect(asUser(t.app, fay, "parent-org").tenant.current()).rejects.toMatchObject({ code: "FORBIDDEN" });
    // …and cannot create departments under it.
    await expect(
      asUser(t.app, fay).tenants.create({ name: "Rogue", slug: "rogue-dept", parentId: parent.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });

    // The parent's owner lists the department with the inherited role.
    const { items } = await asUser(t.app, eve).tenants.list();
    expect(items.find((i) => i.slug === "parent-support")).toMatchObject({ role: "owner", parentId: parent.id });
  });

  it("switch returns the target's hand-off URL for members and NOT_FOUND otherwise", async () => {
    const gil = await createUser(t.app, "Gil");
    const hal = await createUser(t.app, "Hal");
    const a = await asUser(t.app, gil).tenants.create({ name: "Gil A", slug: "gil-a" });
    const res = await asUser(t.app, gil).tenants.switch({ tenantId: a.id });
    expect(res.slug).toBe("gil-a");
    expect(res.url).toMatch(/^http:\/\/gil-a\.localhost:3000\/auth\/handoff\?token=[\w-]{40,}$/);
    await expect(asUser(t.app, hal).tenants.switch({ tenantId: a.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("new organisations start on DEFAULT_TIER with its seats and record their creator; departments take the organisation's tier", async () => {
    const cy = await createUser(t.app, "Cy");
    const free = await asUser(t.app, cy).tenants.create({ name: "Free Co", slug: "tier-free" });
    expect(free).toMatchObject({ tier: "free", maxUsers: 5 });
    const pro = await callerFor(t.app, { user: cy, sessionId: cy.sessionId, config: { defaultTier: "pro" } }).tenants.create({ name: "Pro Co", slug: "tier-pro" });
    expect(pro).toMatchObject({ tier: "pro", maxUsers: 50 });
    const dept = await asUser(t.app, cy).tenants.create({ name: "Pro Sales", slug: "tier-pro-sales", parentId: pro.id });
    expect(dept.tier).toBe("pro");
    const [row] = await t.owner.db.select().from(tenants).where(eq(tenants.id, pro.id));
    expect(row!.createdBy).toBe(cy.id);
  });

  it("MAX_TENANTS_PER_USER caps the organisations one person creates (departments and archived ones do not count)", async () => {
    const dee = await createUser(t.app, "Dee");
    const capped = callerFor(t.app, { user: dee, sessionId: dee.sessionId, config: { maxTenantsPerUser: 2 } });
    const first = await capped.tenants.create({ name: "One", slug: "cap-one" });
    await capped.tenants.create({ name: "One Sales", slug: "cap-one-sales", parentId: first.id });
    await capped.tenants.create({ name: "Two", slug: "cap-two" });
    expect(await codeOf(capped.tenants.create({ name: "Three", slug: "cap-three" }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(capped.tenants.create({ name: "Two Sales", slug: "cap-two-sales", parentId: first.id }))).toBe("OK");
    // Another person is not affected; concurrent attempts cannot slip past the cap.
    const eve = await createUser(t.app, "Eve");
    const racing = callerFor(t.app, { user: eve, sessionId: eve.sessionId, config: { maxTenantsPerUser: 2 } });
    const codes = await Promise.all(["race-a", "race-b", "race-c", "race-d"].map((slug) => codeOf(racing.tenants.create({ name: slug, slug }))));
    expect(codes.sort()).toEqual(["OK", "OK", "PRECONDITION_FAILED", "PRECONDITION_FAILED"]);
    await asUser(t.app, dee, "cap-one").tenant.archive({ confirmSlug: "cap-one" });
    expect(await codeOf(capped.tenants.create({ name: "Three", slug: "cap-three" }))).toBe("OK");
  });

  it("an API key cannot create tenants (FORBIDDEN, not a sign-in prompt)", async () => {
    const fay = await createUser(t.app, "Fay");
    const org = await asUser(t.app, fay).tenants.create({ name: "Keyed", slug: "keyed-org" });
    const { key } = await createKeyFixture(t.app, org.id, "admin");
    expect(await codeOf(asKey(t.app, key).tenants.create({ name: "By key", slug: "by-key" }))).toBe("FORBIDDEN");
    expect(await codeOf(asKey(t.app, key).tenants.create({ name: "By key", slug: "by-key-dept", parentId: org.id }))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(t.app).tenants.create({ name: "Nobody", slug: "nobody-co" }))).toBe("UNAUTHORIZED");
  });
});
