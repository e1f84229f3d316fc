import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenants, users } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { asUser, codeOf, createTenantFixture, createUser } from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

describe("tenant.update and tenant.archive", () => {
  it("departments inherit branding, features and settings until they override them; null clears an override", async () => {
    const owner = await createUser(t.app, "Brand");
    const org = await createTenantFixture(t.app, { slug: "brand-org", tier: "pro", members: [[owner.id, "owner"]] });
    await createTenantFixture(t.app, { slug: "brand-dept", tier: "pro", parentId: org.id });
    const orgCaller = asUser(t.app, owner, "brand-org");
    const dept = asUser(t.app, owner, "brand-dept");
    await orgCaller.tenant.update({
      branding: { primaryColor: "#123456", logoUrl: "https://cdn.example.com/logo.png", displayName: "Brand & Co" },
      features: { callRecording: false },
      settings: { timezone: "Europe/Berlin" },
    });
    expect(await dept.tenant.current()).toMatchObject({
      branding: { primaryColor: "#123456", logoUrl: "https://cdn.example.com/logo.png" },
      features: { callRecording: false },
      settings: { timezone: "Europe/Berlin" },
    });
    await dept.tenant.update({ branding: { primaryColor: "#abcdef" }, settings: { timezone: "UTC" } });
    expect((await dept.tenant.current()).branding.primaryColor).toBe("#abcdef");
    const cleared = await dept.tenant.update({ branding: { primaryColor: null }, settings: { timezone: null } });
    expect(cleared.branding.primaryColor).toBe("#123456");
    expect(cleared.settings.timezone).toBe("Europe/Berlin");
  });

  it("refuses branding that could carry markup, script or style", async () => {
    const owner = await createUser(t.app, "Xss");
    await createTenantFixture(t.app, { slug: "xss-co", members: [[owner.id, "owner"]] });
    const c = asUser(t.app, owner, "xss-co");
    for (const branding of [
      { primaryColor: "red" },
      { primaryColor: "#12345g" },
      { secondaryColor: "#123456;background:url(x)" },
      { logoUrl: "http://example.com/logo.png" },
      { logoUrl: "javascript:alert(1)" },
      { logoUrl: "data:image/svg+xml,<svg onload=alert(1)>" },
      { logoUrl: "https://example.com/a.png\");background:url(\"x" },
      { logoUrl: "https://user:pass@example.com/a.png" },
      { logoUrl: `https://example.com/${"a".repeat(2100)}` },
      { displayName: "<script>alert(1)</script>" },
      { displayName: "x".repeat(101) },
      { font: "Comic Sans" },
    ]) {
      expect(await codeOf(c.tenant.update({ branding } as never)), JSON.stringify(branding)).toBe("BAD_REQUEST");
    }
    expect((await c.tenant.current()).branding).toEqual({ primaryColor: "#4f46e5", secondaryColor: "#0ea5e9" });
  });

  it("maxUsers and tier are for owners; features stay within the tier; maxUsers not below seats in use", async () => {
    const owner = await createUser(t.app, "Plan");
    const admin = await createUser(t.app, "PlanAdmin");
    await createTenantFixture(t.app, { slug: "plan-co", tier: "free", members: [[owner.id, "owner"], [admin.id, "admin"]] });
    const a = asUser(t.app, admin, "plan-co");
    expect(await codeOf(a.tenant.update({ maxUsers: 3 }))).toBe("FORBIDDEN");
    expect(await codeOf(a.tenant.update({ tier: "enterprise" }))).toBe("FORBIDDEN");
    expect(await codeOf(a.tenant.update({ features: { voiceAgents: true } }))).toBe("FORBIDDEN");
    expect((await a.tenant.update({ features: { maxAgents: 1 } })).features.maxAgents).toBe(1);
    const o = asUser(t.app, owner, "plan-co");
    expect(await codeOf(o.tenant.update({ maxUsers: 1 }))).toBe("PRECONDITION_FAILED");
    expect(await o.tenant.update({ maxUsers: 2, tier: "pro" })).toMatchObject({ maxUsers: 2, tier: "pro" });
    expect((await a.tenant.update({ features: { voiceAgents: true } })).features.voiceAgents).toBe(true);
  });

  it("archive needs the owner and the exact slug; an archived tenant (and its departments) is closed", async () => {
    const owner = await createUser(t.app, "Arch");
    const org = await createTenantFixture(t.app, { slug: "arch-co", members: [[owner.id, "owner"]] });
    await createTenantFixture(t.app, { slug: "arch-dept", parentId: org.id });
    const c = asUser(t.app, owner, "arch-co");
    expect(await codeOf(c.tenant.archive({ confirmSlug: "arch-c0" }))).toBe("BAD_REQUEST");
    expect(await c.tenant.archive({ confirmSlug: "arch-co" })).toEqual({ ok: true });
    expect(await codeOf(c.tenant.current())).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, owner, "arch-dept").tenant.current())).toBe("FORBIDDEN");
    const [row] = await t.owner.db.select().from(tenants).where(eq(tenants.id, org.id));
    expect(row!.status).toBe("archived");
  });
});

describe("tenants.all", () => {
  it("pages through every tenant for platform admins only", async () => {
    const admin = await createUser(t.app, "Root");
    const someone = await createUser(t.app, "Someone");
    await t.owner.db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, admin.id));
    const root = { ...admin, isPlatformAdmin: true };
    for (const s of ["all-a", "all-b", "all-c"]) await createTenantFixture(t.app, { slug: s });
    const first = await asUser(t.app, root).tenants.all({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const seen = [...first.items];
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await asUser(t.app, root).tenants.all({ limit: 2, cursor });
      seen.push(...next.items);
      cursor = next.nextCursor;
    }
    const [{ n }] = (await t.owner.db.select({ n: count() }).from(tenants)) as [{ n: number }];
    expect(seen).toHaveLength(n);
    expect(new Set(seen.map((s) => s.slug)).size).toBe(n);
    expect(await codeOf(asUser(t.app, someone).tenants.all())).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, root).tenants.all({ limit: 2, cursor: "garbage" }))).toBe("BAD_REQUEST");
  });
});
