import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agents, auditLog, platformAudit, requestBudgets, tenants, users, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { allPages, asKey, asUser, callerFor, codeOf, createKeyFixture, createTenantFixture, createTenantWithRoles, createUser } from "../../testing";
import { EventHub } from "../../lib/event-hub";
import { ENGAGEMENT_EVENTS_CHANNEL } from "../engagements/engagement-events";

/** Reads a subscription in the background; `done` resolves once the stream has ended. */
function collect(iterable: AsyncIterable<unknown>) {
  let ended = false;
  const done = (async () => {
    for await (const _ of iterable) void _;
    ended = true;
  })();
  return { done, ended: () => ended };
}

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
    // A key works data, never access: the platform's procedures refuse it like access management.
    expect(await codeOf(asKey(t.app, key).platform.tenants.setPlan(setPlan))).toBe("FORBIDDEN");
    expect(await codeOf(asKey(t.app, key).platform.tenants.suspend({ tenantId: tenant.id, reason: "Key" }))).toBe("FORBIDDEN");
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
    expect((await p.list({ q: "quiet" })).items.map((i) => [i.slug, i.usage])).toEqual([["plat-quiet", { members: 0, agents: 0, requestsLastHour: 0, storageBytes: 0 }]]);
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

describe("platform.tenants: suspend, restore, get and the audit logs", () => {
  it("suspend closes the tenant to its members and keys with the reason, its departments too; restore opens it again", async () => {
    const root = await platformAdmin("Suspender");
    const owner = await createUser(t.app, "Suspended Owner");
    const org = await createTenantFixture(t.app, { slug: "plat-susp", members: [[owner.id, "owner"]] });
    await createTenantFixture(t.app, { slug: "plat-susp-dept", parentId: org.id });
    const { key } = await createKeyFixture(t.app, org.id, "admin");
    const p = asUser(t.app, root).platform.tenants;
    const o = asUser(t.app, owner, "plat-susp");
    const reason = "Unpaid invoices since March: write to billing@example.com";

    const suspended = await p.suspend({ tenantId: org.id, reason });
    expect(suspended).toMatchObject({ id: org.id, status: "suspended", suspendedReason: reason, archivedAt: null, purgeAfter: null });
    expect(Date.parse(suspended.suspendedAt!)).toBeGreaterThan(Date.now() - 60_000);
    // Exactly what the dashboard's closed page matches and shows.
    await expect(o.tenant.current()).rejects.toMatchObject({ code: "FORBIDDEN", message: `This tenant is suspended: ${reason}` });
    await expect(asUser(t.app, owner, "plat-susp-dept").tenant.current()).rejects.toMatchObject({ code: "FORBIDDEN", message: "This tenant is suspended" });
    expect(await codeOf(asKey(t.app, key).calls.list())).toBe("FORBIDDEN");
    // Platform admins still enter it.
    expect((await asUser(t.app, root, "plat-susp").tenant.current()).status).toBe("suspended");
    expect(await p.get({ tenantId: org.id })).toEqual({ ...suspended, usage: expect.any(Object) });

    // Suspending again replaces the reason and keeps the date; an active tenant has nothing to restore.
    const again = await p.suspend({ tenantId: org.id, reason: "Still unpaid" });
    expect([again.suspendedReason, again.suspendedAt]).toEqual(["Still unpaid", suspended.suspendedAt]);
    const restored = await p.restore({ tenantId: org.id });
    expect(restored).toMatchObject({ status: "active", suspendedReason: null, suspendedAt: null });
    expect((await o.tenant.current()).status).toBe("active");
    expect(await codeOf(asKey(t.app, key).calls.list())).toBe("OK");
    expect(await codeOf(p.restore({ tenantId: org.id }))).toBe("PRECONDITION_FAILED");

    // Each action in the tenant's own log (the reason with the suspension) and in the platform's.
    const own = await p.audit({ tenantId: org.id });
    expect(own.items.filter((e) => e.action.startsWith("platform.")).map((e) => [e.action, e.actor.id, e.reason])).toEqual([
      ["platform.tenants.restore", root.id, null],
      ["platform.tenants.suspend", root.id, "Still unpaid"],
      ["platform.tenants.suspend", root.id, reason],
    ]);
    const platform = await asUser(t.app, root).platform.audit({ tenantId: org.id });
    expect(platform.items[0]!.targetTenant).toEqual({ id: org.id, slug: "plat-susp", name: "plat-susp" });
    expect(platform.items.map((e) => [e.action, e.actor, e.targetTenantId])).toEqual([
      ["platform.tenants.restore", { id: root.id, label: root.email }, org.id],
      ["platform.tenants.suspend", { id: root.id, label: root.email }, org.id],
      ["platform.tenants.suspend", { id: root.id, label: root.email }, org.id],
    ]);
    expect(platform.items[2]!.details).toMatchObject({ reason, before: "active" });
    const everything = await allPages((cursor) => asUser(t.app, root).platform.audit({ limit: 2, cursor }));
    expect(everything.items.length).toBe(await t.owner.db.$count(platformAudit));

    for (const bad of [{ reason: "" }, { reason: "x".repeat(501) }, { reason: "a\u0000b" }, { reason: "ok", extra: 1 }]) {
      expect(await codeOf(p.suspend({ tenantId: org.id, ...bad } as never)), JSON.stringify(bad)).toBe("BAD_REQUEST");
    }
    expect(await codeOf(p.suspend({ tenantId: crypto.randomUUID(), reason: "Nobody" }))).toBe("NOT_FOUND");
    expect(await codeOf(p.get({ tenantId: crypto.randomUUID() }))).toBe("NOT_FOUND");
    expect(await codeOf(p.audit({ tenantId: crypto.randomUUID() }))).toBe("NOT_FOUND");
    expect(await codeOf(asUser(t.app, owner).platform.tenants.get({ tenantId: org.id }))).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, owner).platform.audit())).toBe("FORBIDDEN");
  });

  it("restore brings an archived tenant back within its grace period, unchanged, with the departments archived with it", async () => {
    const root = await platformAdmin("Restorer");
    const owner = await createUser(t.app, "Archiving Owner");
    const org = await createTenantFixture(t.app, { slug: "plat-arch", tier: "pro", members: [[owner.id, "owner"]] });
    const dept = await createTenantFixture(t.app, { slug: "plat-arch-dept", tier: "pro", parentId: org.id });
    const own = await createTenantFixture(t.app, { slug: "plat-arch-own", tier: "pro", parentId: org.id });
    // A department archived on its own earlier stays archived when its organisation comes back.
    await asUser(t.app, owner, "plat-arch-own").tenant.archive({ confirmSlug: "plat-arch-own" });
    const o = asUser(t.app, owner, "plat-arch");
    await o.calls.create({ direction: "inbound", customerPhone: "+15550001234", status: "completed" });
    const { purgeAfter } = await o.tenant.archive({ confirmSlug: "plat-arch" });
    const p = asUser(t.app, root).platform.tenants;
    expect(await p.get({ tenantId: dept.id })).toMatchObject({ status: "archived", purgeAfter });
    // A department comes back with its organisation only.
    expect(await codeOf(p.restore({ tenantId: dept.id }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(p.suspend({ tenantId: org.id, reason: "No" }))).toBe("PRECONDITION_FAILED");

    const back = await p.restore({ tenantId: org.id });
    expect(back).toMatchObject({ status: "active", archivedAt: null, purgeAfter: null, tier: "pro" });
    expect((await o.calls.list()).items).toHaveLength(1);
    expect((await asUser(t.app, owner, "plat-arch-dept").tenant.current()).status).toBe("active");
    expect((await p.get({ tenantId: own.id })).status).toBe("archived");
    const [entry] = (await asUser(t.app, root).platform.audit({ tenantId: org.id })).items;
    expect(entry).toMatchObject({ action: "platform.tenants.restore", details: { from: "archived", to: "active", departments: [dept.id] } });

    // Past its grace period the purge is due: no restore.
    await o.tenant.archive({ confirmSlug: "plat-arch" });
    await t.owner.db.update(tenants).set({ purgeAfter: new Date(Date.now() - 1000) }).where(eq(tenants.id, org.id));
    expect(await codeOf(p.restore({ tenantId: org.id }))).toBe("PRECONDITION_FAILED");
    const [row] = await t.owner.db.select().from(tenants).where(eq(tenants.id, org.id));
    expect(row!.status).toBe("archived");
  });

  it("a suspended tenant's event streams end within the re-check interval; a platform admin's stays", async () => {
    const root = await platformAdmin("Stream Watcher");
    const org = await createTenantWithRoles(t.app, "plat-stream");
    const hub = new EventHub(t.app, { channel: ENGAGEMENT_EVENTS_CHANNEL, recheckMs: 150 });
    await hub.start();
    try {
      const as = (user: Parameters<typeof asUser>[1]) => callerFor(t.app, { user, sessionId: user.sessionId, tenantSlug: "plat-stream", events: hub });
      const { key } = await createKeyFixture(t.app, org.tenant.id, "viewer");
      const member = collect(await as(org.agent).engagements.onEvent());
      const keyed = collect(await callerFor(t.app, { apiKey: key, tenantSlug: "plat-stream", events: hub }).engagements.onEvent());
      const platform = collect(await as(root).engagements.onEvent());
      await new Promise((r) => setTimeout(r, 300));
      expect([member, keyed, platform].map((s) => s.ended())).toEqual([false, false, false]);
      const at = Date.now();
      await asUser(t.app, root).platform.tenants.suspend({ tenantId: org.tenant.id, reason: "Abuse report" });
      await Promise.all([member.done, keyed.done]);
      expect(Date.now() - at).toBeLessThan(150 + 1000);
      expect(platform.ended()).toBe(false);
    } finally {
      await hub.close();
    }
  });

  it("usage.storageBytes estimates the tenant's data: more rows, more bytes; none, zero", async () => {
    const root = await platformAdmin("Storage");
    const big = await createTenantWithRoles(t.app, "plat-store-big");
    const small = await createTenantWithRoles(t.app, "plat-store-small");
    const bulk = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ direction: "inbound" as const, customerPhone: `+1555000${String(i).padStart(4, "0")}`, status: "completed" as const }));
    for (const c of bulk(40)) await big.as(big.agent).calls.create(c);
    for (const c of bulk(4)) await small.as(small.agent).calls.create(c);
    const list = await asUser(t.app, root).platform.tenants.list({ q: "plat-store-" });
    const [b, s] = list.items.map((i) => i.usage.storageBytes);
    expect(s).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(s! * 4);
    expect((await asUser(t.app, root).platform.tenants.get({ tenantId: big.tenant.id })).usage.storageBytes).toBeGreaterThan(0);
  });
});
