import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agents, auditLog, platformAudit, requestBudgets, tenants, users, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { allPages, asKey, asUser, codeOf, createKeyFixture, createTenantFixture, createUser } from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

/** A platform admin with MFA on (in the database too: the policy "platform admins see every tenant" checks it). */
async function platformAdmin(name: string) {
  const user = await createUser(t.app, name);
  await t.owner.db.update(users).set({ isPlatformAdmin: true, mfaEnabledAt: new Date() }).where(eq(users.id, user.id));
  return { ...user, isPlatformAdmin: true, mfaEnabled: true };
}

describe("platform.tenants", () => {
  it("need a platform admin with MFA", async () => {
    const root = await platformAdmin("Root");
    const owner = await createUser(t.app, "PlainOwner");
    const tenant = await createTenantFixture(t.app, { slug: "plat-guard", tier: "free", members: [[owner.id, "owner"]] });
    const { key } = await createKeyFixture(t.app, tenant.id, "admin");
    const setPlan = { tenantId: tenant.id, tier: "enterprise" as const };
    expect(await codeOf(asUser(t.app, owner).platform.tenants.list())).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, owner, "plat-guard").platform.tenants.setPlan(setPlan))).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, { ...root, mfaEnabled: false }).platform.tenants.setPlan(setPlan))).toBe("FORBIDDEN");
    expect(await codeOf(asKey(t.app, key).platform.tenants.setPlan(setPlan))).toBe("UNAUTHORIZED");
    // Even a flagged account acting without MFA in the database sees no tenant to change.
    await t.owner.db.update(users).set({ mfaEnabledAt: null }).where(eq(users.id, root.id));
    expect(await codeOf(asUser(t.app, root).platform.tenants.setPlan(setPlan))).toBe("NOT_FOUND");
    await t.owner.db.update(users).set({ mfaEnabledAt: new Date() }).where(eq(users.id, root.id));
    const [row] = await t.owner.db.select().from(tenants).where(eq(tenants.id, tenant.id));
    expect(row!.tier).toBe("free");
  });

  it("list: every tenant by slug with its usage (members, agents, requests in the last hour); filters and pages", async () => {
    const root = await platformAdmin("Lister");
    const owner = await createUser(t.app, "Used");
    const used = await createTenantFixture(t.app, { slug: "plat-used", name: "Used Inc", tier: "pro", members: [[owner.id, "owner"]] });
    await createTenantFixture(t.app, { slug: "plat-used-dept", parentId: used.id, tier: "pro" });
    await createTenantFixture(t.app, { slug: "plat-quiet", name: "Quiet Ltd", tier: "free" });
    await withScope(t.app, { tenantId: used.id }, async (tx) => {
      await tx.insert(agents).values({ tenantId: used.id, name: "A1", type: "chat", configuration: { prompt: "p", language: "en" } });
      await tx.insert(agents).values({ tenantId: used.id, name: "A2", type: "chat", configuration: { prompt: "p", language: "en" } });
    });
    // Windows of the request budget: two in the last hour count, an older one does not.
    const minute = 60_000;
    const at = (ago: number) => new Date(Math.floor((Date.now() - ago) / minute) * minute);
    await t.owner.db.insert(requestBudgets).values([
      { tenantId: used.id, windowStart: at(5 * minute), count: 7 },
      { tenantId: used.id, windowStart: at(30 * minute), count: 5 },
      { tenantId: used.id, windowStart: at(90 * minute), count: 100 },
    ]);
    const p = asUser(t.app, root).platform.tenants;
    const found = await p.list({ q: "plat-used" });
    expect(found.items.map((i) => i.slug)).toEqual(["plat-used", "plat-used-dept"]);
    expect(found.items[0]).toMatchObject({
      id: used.id,
      name: "Used Inc",
      parentId: null,
      tier: "pro",
      status: "active",
      maxUsers: 50,
      usage: { members: 1, agents: 2, requestsLastHour: 12 },
    });
    expect(found.items[1]!.parentId).toBe(used.id);
    expect((await p.list({ q: "quiet" })).items.map((i) => [i.slug, i.usage])).toEqual([["plat-quiet", { members: 0, agents: 0, requestsLastHour: 0 }]]);
    expect((await p.list({ q: "plat-", tier: "pro" })).items.map((i) => i.slug)).toEqual(["plat-used", "plat-used-dept"]);
    expect((await p.list({ q: "plat-", status: "suspended" })).items).toEqual([]);
    // LIKE wildcards in q are taken literally.
    expect((await p.list({ q: "plat_used" })).items).toEqual([]);
    const all = await allPages((cursor) => p.list({ limit: 2, cursor }));
    expect(all.items).toHaveLength(await t.owner.db.$count(tenants));
    expect(await codeOf(p.list({ status: "deleted" } as never))).toBe("BAD_REQUEST");
  });

  it("setPlan: the only way to change tier, seats, features beyond the tier and the request budget; audited twice", async () => {
    const root = await platformAdmin("Planner");
    const owner = await createUser(t.app, "Customer");
    const org = await createTenantFixture(t.app, { slug: "plat-cust", tier: "free", maxUsers: 5, members: [[owner.id, "owner"]] });
    const dept = await createTenantFixture(t.app, { slug: "plat-cust-dept", tier: "free", parentId: org.id });
    const p = asUser(t.app, root, "plat-cust").platform.tenants;

    const pro = await p.setPlan({ tenantId: org.id, tier: "pro", features: { maxAgents: 30 }, requestsPerMinute: 4000 });
    expect(pro).toMatchObject({ id: org.id, tier: "pro", maxUsers: 50, planFeatures: { maxAgents: 30 }, requestsPerMinute: 4000 });
    const o = asUser(t.app, owner, "plat-cust");
    expect((await o.tenant.current()).features).toMatchObject({ voiceAgents: true, maxAgents: 30 });
    // The tenant may now use up to the plan, not beyond it.
    expect((await o.tenant.update({ features: { maxAgents: 30 } })).features.maxAgents).toBe(30);
    expect(await codeOf(o.tenant.update({ features: { maxAgents: 31 } }))).toBe("FORBIDDEN");
    // Departments follow their organisation's tier, and cannot be put on another one.
    const [d] = await t.owner.db.select().from(tenants).where(eq(tenants.id, dept.id));
    expect(d!.tier).toBe("pro");
    expect(await codeOf(p.setPlan({ tenantId: dept.id, tier: "enterprise" }))).toBe("BAD_REQUEST");
    expect((await p.setPlan({ tenantId: dept.id, tier: "pro", maxUsers: 7 })).maxUsers).toBe(7);

    // The whole plan each time: what is left out falls back to the tier's defaults.
    const back = await p.setPlan({ tenantId: org.id, tier: "free" });
    expect(back).toMatchObject({ tier: "free", maxUsers: 5, planFeatures: {}, requestsPerMinute: 600 });
    expect((await o.tenant.current()).features).toMatchObject({ voiceAgents: false, maxAgents: 2 });

    const entries = await t.owner.db.select().from(auditLog).where(and(eq(auditLog.tenantId, org.id), eq(auditLog.action, "platform.tenants.setPlan")));
    expect(entries.map((e) => [e.actorId, e.result, e.resourceId])).toEqual([
      [root.id, "success", org.id],
      [root.id, "success", org.id],
    ]);
    const platform = await t.owner.db.select().from(platformAudit).where(eq(platformAudit.targetTenantId, org.id)).orderBy(platformAudit.at);
    expect(platform.map((e) => [e.actorId, e.action, (e.details as { after: { tier: string } }).after.tier])).toEqual([
      [root.id, "platform.tenants.setPlan", "pro"],
      [root.id, "platform.tenants.setPlan", "free"],
    ]);
    expect(platform[0]!.details).toMatchObject({ before: { tier: "free", maxUsers: 5 }, after: { tier: "pro", maxUsers: 50, requestsPerMinute: 4000 } });

    expect(await codeOf(p.setPlan({ tenantId: crypto.randomUUID(), tier: "pro" }))).toBe("NOT_FOUND");
    for (const bad of [{ tier: "gold" }, { tier: "pro", maxUsers: 0 }, { tier: "pro", features: { teleport: true } }, { tier: "pro", requestsPerMinute: -1 }]) {
      expect(await codeOf(p.setPlan({ tenantId: org.id, ...bad } as never)), JSON.stringify(bad)).toBe("BAD_REQUEST");
    }
  });

  it("the request budget follows the platform's requestsPerMinute", async () => {
    const root = await platformAdmin("Budget");
    const owner = await createUser(t.app, "Busy");
    const tenant = await createTenantFixture(t.app, { slug: "plat-budget", tier: "enterprise", members: [[owner.id, "owner"]] });
    await asUser(t.app, root).platform.tenants.setPlan({ tenantId: tenant.id, tier: "enterprise", requestsPerMinute: 3 });
    const o = asUser(t.app, owner, "plat-budget");
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push(await codeOf(o.tenant.current()));
    // Unless the minute turned over meanwhile, the fourth request is over budget.
    expect(codes.slice(0, 3)).toEqual(["OK", "OK", "OK"]);
    expect(codes.slice(3)).toContain("TOO_MANY_REQUESTS");
  });
});
