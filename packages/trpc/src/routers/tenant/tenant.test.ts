import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, tenants, users } from "@switchboard/db";
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

  it("the plan is the platform's: an owner cannot raise tier, maxUsers or features beyond tier + plan; switching off and lowering work", async () => {
    const owner = await createUser(t.app, "Plan");
    const admin = await createUser(t.app, "PlanAdmin");
    const tenant = await createTenantFixture(t.app, { slug: "plan-co", tier: "free", maxUsers: 5, members: [[owner.id, "owner"], [admin.id, "admin"]] });
    const o = asUser(t.app, owner, "plan-co");
    const a = asUser(t.app, admin, "plan-co");
    // Not part of the tenant's input at all (unknown keys), for owners too; nothing changes.
    expect(await codeOf(o.tenant.update({ tier: "enterprise" } as never))).toBe("BAD_REQUEST");
    expect(await codeOf(o.tenant.update({ maxUsers: 100_000 } as never))).toBe("BAD_REQUEST");
    expect(await codeOf(o.tenant.update({ name: "Still free", maxUsers: 6 } as never))).toBe("BAD_REQUEST");
    // Beyond the free tier: FORBIDDEN for owners and admins alike.
    expect(await codeOf(o.tenant.update({ features: { voiceAgents: true } }))).toBe("FORBIDDEN");
    expect(await codeOf(o.tenant.update({ features: { maxAgents: 3 } }))).toBe("FORBIDDEN");
    expect(await codeOf(a.tenant.update({ features: { callRecording: true } }))).toBe("FORBIDDEN");
    const [row] = await t.owner.db.select().from(tenants).where(eq(tenants.id, tenant.id));
    expect(row).toMatchObject({ tier: "free", maxUsers: 5, name: "plan-co", features: {} });
    // Down is the tenant's own call, and back up to the plan again.
    expect((await a.tenant.update({ features: { maxAgents: 1, chatAgents: false } })).features).toMatchObject({ maxAgents: 1, chatAgents: false });
    expect((await a.tenant.update({ features: { maxAgents: 2, chatAgents: null } })).features).toMatchObject({ maxAgents: 2, chatAgents: true });
    // The platform's grant (planFeatures) lifts the cap; a grant taken away clamps what the tenant had set.
    await t.owner.db.update(tenants).set({ planFeatures: { voiceAgents: true, maxAgents: 4 } }).where(eq(tenants.id, tenant.id));
    expect((await o.tenant.update({ features: { voiceAgents: true, maxAgents: 4 } })).features).toMatchObject({ voiceAgents: true, maxAgents: 4 });
    expect(await codeOf(o.tenant.update({ features: { maxAgents: 5 } }))).toBe("FORBIDDEN");
    await t.owner.db.update(tenants).set({ planFeatures: {} }).where(eq(tenants.id, tenant.id));
    expect((await o.tenant.current()).features).toMatchObject({ voiceAgents: false, maxAgents: 2 });
  });

  it("a department never exceeds its organisation", async () => {
    const owner = await createUser(t.app, "DeptCap");
    const org = await createTenantFixture(t.app, { slug: "cap-org", tier: "pro", members: [[owner.id, "owner"]] });
    await createTenantFixture(t.app, { slug: "cap-dept", tier: "enterprise", parentId: org.id });
    const o = asUser(t.app, owner, "cap-org");
    const d = asUser(t.app, owner, "cap-dept");
    await o.tenant.update({ features: { voiceAgents: false, maxAgents: 5 } });
    // Even a department on a bigger tier (set before plans followed the organisation) sees at most the organisation's.
    expect((await d.tenant.current()).features).toMatchObject({ voiceAgents: false, maxAgents: 5 });
    expect(await codeOf(d.tenant.update({ features: { voiceAgents: true } }))).toBe("FORBIDDEN");
    expect(await codeOf(d.tenant.update({ features: { maxAgents: 6 } }))).toBe("FORBIDDEN");
    expect((await d.tenant.update({ features: { maxAgents: 3 } })).features.maxAgents).toBe(3);
    // The organisation lowers its limit below the department's override: the department follows.
    await o.tenant.update({ features: { maxAgents: 2 } });
    expect((await d.tenant.current()).features.maxAgents).toBe(2);
  });

  it("security.requireMfa: set by admins with MFA, kept out of settings, inherited by departments which cannot switch it off", async () => {
    const owner = await createUser(t.app, "Mfa");
    const org = await createTenantFixture(t.app, { slug: "mfa-org", members: [[owner.id, "owner"]] });
    await createTenantFixture(t.app, { slug: "mfa-dept", parentId: org.id });
    // Without MFA on one's own account, requiring it would lock oneself out.
    expect(await codeOf(asUser(t.app, owner, "mfa-org").tenant.update({ security: { requireMfa: true } }))).toBe("PRECONDITION_FAILED");
    const withMfa = { ...owner, mfaEnabled: true };
    const updated = await asUser(t.app, withMfa, "mfa-org").tenant.update({ security: { requireMfa: true } });
    expect(updated.security).toEqual({ requireMfa: true });
    expect(updated.settings).toEqual({});
    const [row] = await t.owner.db.select().from(tenants).where(eq(tenants.id, org.id));
    expect(row!.settings).toEqual({ "security.requireMfa": true });
    // Not through the free-form settings map, and not undone by a department.
    expect(await codeOf(asUser(t.app, withMfa, "mfa-org").tenant.update({ settings: { "security.requireMfa": false } }))).toBe("BAD_REQUEST");
    const dept = await asUser(t.app, withMfa, "mfa-dept").tenant.update({ security: { requireMfa: false } });
    expect(dept.security.requireMfa).toBe(true);
    expect((await asUser(t.app, withMfa, "mfa-org").tenant.update({ security: { requireMfa: false } })).security.requireMfa).toBe(false);
    expect(await codeOf(asUser(t.app, withMfa, "mfa-org").tenant.update({ security: { requireMfa: "yes" } } as never))).toBe("BAD_REQUEST");
  });

  it("archive needs the owner and the exact slug; an archived tenant (and its departments) is closed", async () => {
    const owner = await createUser(t.app, "Arch");
    const org = await createTenantFixture(t.app, { slug: "arch-co", members: [[owner.id, "owner"]] });
    await createTenantFixture(t.app, { slug: "arch-dept", parentId: org.id });
    const c = asUser(t.app, owner, "arch-co");
    expect(await codeOf(c.tenant.archive({ confirmSlug: "arch-c0" }))).toBe("BAD_REQUEST");
    expect(await c.tenant.archive({ confirmSlug: "arch-co" })).toMatchObject({ ok: true });
    expect(await codeOf(c.tenant.current())).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, owner, "arch-dept").tenant.current())).toBe("FORBIDDEN");
    const [row] = await t.owner.db.select().from(tenants).where(eq(tenants.id, org.id));
    expect(row!.status).toBe("archived");
  });
});

describe("tenant.update: routing, business hours and SLA", () => {
  it("admins set them, tenant.current returns them, null clears; each change is audited", async () => {
    const owner = await createUser(t.app, "Hours");
    const admin = await createUser(t.app, "HoursAdmin");
    const agent = await createUser(t.app, "HoursAgent");
    const org = await createTenantFixture(t.app, { slug: "hours-co", members: [[owner.id, "owner"], [admin.id, "admin"], [agent.id, "agent"]] });
    await createTenantFixture(t.app, { slug: "hours-dept", parentId: org.id });
    const a = asUser(t.app, admin, "hours-co");
    expect(await a.tenant.current()).toMatchObject({ routing: null, businessHours: null, sla: null });
    const businessHours = {
      timezone: "Europe/Berlin",
      days: [
        { day: 1, open: "09:00", close: "12:00" },
        { day: 1, open: "13:00", close: "17:30" },
        { day: 6, open: "10:00", close: "24:00" },
      ],
    };
    const updated = await a.tenant.update({
      routing: { mode: "round_robin", maxOpenPerAgent: 5 },
      businessHours,
      sla: { firstResponseMinutes: 60 },
    });
    expect(updated).toMatchObject({ routing: { mode: "round_robin", maxOpenPerAgent: 5 }, businessHours, sla: { firstResponseMinutes: 60 } });
    expect(await asUser(t.app, agent, "hours-co").tenant.current()).toMatchObject({ routing: updated.routing, businessHours, sla: updated.sla });
    // Departments have their own (not inherited).
    expect(await asUser(t.app, owner, "hours-dept").tenant.current()).toMatchObject({ routing: null, businessHours: null, sla: null });
    // Absent keeps, null clears; an SLA without minutes is a promise of nothing.
    expect(await a.tenant.update({ name: "Hours Co" })).toMatchObject({ businessHours, sla: { firstResponseMinutes: 60 } });
    expect(await a.tenant.update({ routing: null, sla: { firstResponseMinutes: null } })).toMatchObject({ routing: null, sla: { firstResponseMinutes: null } });
    expect(await a.tenant.update({ businessHours: null, sla: null })).toMatchObject({ businessHours: null, sla: null });
    const [row] = await t.owner.db.select().from(tenants).where(eq(tenants.id, org.id));
    expect(row).toMatchObject({ routing: null, businessHours: null, sla: null });
    const entries = await t.owner.db.select().from(auditLog).where(and(eq(auditLog.tenantId, org.id), eq(auditLog.action, "tenant.update")));
    expect(entries.filter((e) => e.result === "success")).toHaveLength(4);
    // Agents cannot; API keys cannot (settings are access).
    expect(await codeOf(asUser(t.app, agent, "hours-co").tenant.update({ sla: { firstResponseMinutes: 5 } }))).toBe("FORBIDDEN");
  });

  it("refuses what cannot be kept: unknown zones, bad clocks, close before open, overlaps, too many openings, caps", async () => {
    const owner = await createUser(t.app, "BadHours");
    await createTenantFixture(t.app, { slug: "badhours-co", members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, "badhours-co");
    const day = (d: number, open: string, close: string) => ({ day: d, open, close });
    const hours = (days: ReturnType<typeof day>[], timezone = "America/New_York") => ({ businessHours: { timezone, days } });
    for (const input of [
      { routing: { mode: "random", maxOpenPerAgent: 3 } },
      { routing: { mode: "round_robin", maxOpenPerAgent: 0 } },
      { routing: { mode: "round_robin", maxOpenPerAgent: 1001 } },
      { routing: { mode: "round_robin", maxOpenPerAgent: 2.5 } },
      { routing: { mode: "round_robin" } },
      { routing: { mode: "round_robin", maxOpenPerAgent: 3, extra: 1 } },
      hours([day(1, "09:00", "17:00")], "Mars/Olympus_Mons"),
      hours([day(1, "09:00", "17:00")], "+01:00"),
      hours([day(1, "09:00", "17:00")], "x".repeat(65)),
      hours([]),
      hours([day(7, "09:00", "17:00")]),
      hours([day(-1, "09:00", "17:00")]),
      hours([day(1, "9:00", "17:00")]),
      hours([day(1, "09:00", "24:01")]),
      hours([day(1, "24:00", "24:00")]),
      hours([day(1, "17:00", "09:00")]),
      hours([day(1, "09:00", "09:00")]),
      hours([day(1, "09:00", "13:00"), day(1, "12:00", "17:00")]),
      hours([day(2, "08:00", "09:00"), day(2, "10:00", "11:00"), day(2, "12:00", "13:00"), day(2, "14:00", "15:00")]),
      hours(Array.from({ length: 22 }, (_, i) => day(i % 7, "09:00", "10:00"))),
      { businessHours: { timezone: "UTC", days: [day(1, "09:00", "10:00")], holidays: [] } },
      { sla: { firstResponseMinutes: 0 } },
      { sla: { firstResponseMinutes: 100_001 } },
      { sla: { firstResponseMinutes: "60" } },
      { sla: {} },
    ]) {
      expect(await codeOf(o.tenant.update(input as never)), JSON.stringify(input).slice(0, 120)).toBe("BAD_REQUEST");
    }
    // Adjacent openings are fine; an hour a week cannot keep a 100,000-minute promise within a year.
    expect((await o.tenant.update(hours([day(1, "09:00", "12:00"), day(1, "12:00", "13:00")]))).businessHours?.days).toHaveLength(2);
    expect(await codeOf(o.tenant.update({ ...hours([day(3, "09:00", "10:00")]), sla: { firstResponseMinutes: 100_000 } }))).toBe("BAD_REQUEST");
    await o.tenant.update({ sla: { firstResponseMinutes: 240 } });
    expect(await codeOf(o.tenant.update(hours([day(3, "09:00", "09:01")])))).toBe("BAD_REQUEST");
    expect((await o.tenant.current()).sla).toEqual({ firstResponseMinutes: 240 });
  });
});

describe("tenants.all", () => {
  it("pages through every tenant for platform admins only", async () => {
    const admin = await createUser(t.app, "Root");
    const someone = await createUser(t.app, "Someone");
    await t.owner.db.update(users).set({ isPlatformAdmin: true, mfaEnabledAt: new Date() }).where(eq(users.id, admin.id));
    const root = { ...admin, isPlatformAdmin: true, mfaEnabled: true };
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
    // Platform-admin powers need MFA.
    expect(await codeOf(asUser(t.app, { ...root, mfaEnabled: false }).tenants.all())).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, root).tenants.all({ limit: 2, cursor: "garbage" }))).toBe("BAD_REQUEST");
  });
});
