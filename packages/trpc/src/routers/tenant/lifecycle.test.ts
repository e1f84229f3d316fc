// tenant.archive (the grace period, departments, the owners' mail) and tenant.usage (limits against usage).
import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agents, emailOutbox, invitations, requestBudgets, rowsOf, tenants, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { addMember, asKey, callerFor, codeOf, createKeyFixture, createTenantFixture, createTenantWithRoles, createUser } from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const day = 86_400_000;

describe("tenant.archive", () => {
  it("closes the tenant and its departments for ARCHIVE_GRACE_DAYS, then the purge is due; owners are mailed the date", async () => {
    const owner = await createUser(t.app, "Grace Owner");
    const second = await createUser(t.app, "Second Owner");
    const admin = await createUser(t.app, "Grace Admin");
    const org = await createTenantFixture(t.app, { slug: "grace-co", members: [[owner.id, "owner"], [second.id, "owner"], [admin.id, "admin"]] });
    const dept = await createTenantFixture(t.app, { slug: "grace-dept", parentId: org.id });
    const c = callerFor(t.app, { user: owner, sessionId: owner.sessionId, tenantSlug: "grace-co", config: { archiveGraceDays: 14 } });
    expect((await c.tenant.current()).archiveGraceDays).toBe(14);
    expect(await codeOf(callerFor(t.app, { user: admin, sessionId: admin.sessionId, tenantSlug: "grace-co" }).tenant.archive({ confirmSlug: "grace-co" }))).toBe("FORBIDDEN");

    const before = Date.now();
    const { ok, purgeAfter } = await c.tenant.archive({ confirmSlug: "grace-co" });
    expect(ok).toBe(true);
    expect(Date.parse(purgeAfter)).toBeGreaterThanOrEqual(before + 14 * day);
    expect(Date.parse(purgeAfter)).toBeLessThan(Date.now() + 14 * day + 1000);
    const rows = await t.owner.db.select().from(tenants).where(eq(tenants.parentId, org.id));
    const [row] = await t.owner.db.select().from(tenants).where(eq(tenants.id, org.id));
    expect([row, ...rows].map((r) => [r!.id, r!.status, r!.purgeAfter?.toISOString(), r!.archivedAt?.toISOString()])).toEqual([
      [org.id, "archived", purgeAfter, row!.archivedAt!.toISOString()],
      [dept.id, "archived", purgeAfter, row!.archivedAt!.toISOString()],
    ]);
    expect(await codeOf(c.tenant.current())).toBe("FORBIDDEN");
    await expect(c.tenant.current()).rejects.toMatchObject({ message: "This tenant is archived" });

    // Each owner is mailed the date (not the admin).
    const mails = await t.owner.db.select().from(emailOutbox).where(and(eq(emailOutbox.tenantId, org.id), eq(emailOutbox.kind, "tenant-archived")));
    expect(mails.map((m) => m.to).sort()).toEqual([owner.email, second.email].sort());
    expect(mails[0]!.subject).toContain("grace-co was archived");
    expect(mails[0]!.body).toContain(new Date(purgeAfter).toUTCString().slice(0, 16));
    expect(mails[0]!.body).toContain("http://grace-co.localhost:3000/");

    // Not due during the grace period; due once it is over.
    const due = async () => rowsOf<{ id: string }>(await t.app.db.execute(sql`select t as id from tenants_due_for_purge() as t`)).map((r) => r.id);
    expect(await due()).not.toContain(org.id);
    await t.owner.db.update(tenants).set({ purgeAfter: new Date(Date.now() - 1000) }).where(eq(tenants.id, org.id));
    await t.owner.db.update(tenants).set({ purgeAfter: new Date(Date.now() - 1000) }).where(eq(tenants.id, dept.id));
    expect(await due()).toEqual([dept.id, org.id]);
  });

  it("a department archived alone: its organisation stays open; the department's mail goes to the organisation's owners", async () => {
    const owner = await createUser(t.app, "Dept Archiver");
    const org = await createTenantFixture(t.app, { slug: "solo-co", members: [[owner.id, "owner"]] });
    const dept = await createTenantFixture(t.app, { slug: "solo-dept", parentId: org.id });
    await callerFor(t.app, { user: owner, sessionId: owner.sessionId, tenantSlug: "solo-dept" }).tenant.archive({ confirmSlug: "solo-dept" });
    expect((await callerFor(t.app, { user: owner, sessionId: owner.sessionId, tenantSlug: "solo-co" }).tenant.current()).status).toBe("active");
    const mails = await t.owner.db.select().from(emailOutbox).where(and(eq(emailOutbox.tenantId, dept.id), eq(emailOutbox.kind, "tenant-archived")));
    expect(mails.map((m) => m.to)).toEqual([owner.email]);
  });
});

describe("tenant.usage", () => {
  it("seats (members, pending invitations) against maxUsers, agents against maxAgents, this minute's requests against the budget", async () => {
    const acme = await createTenantWithRoles(t.app, "usage-co", { tier: "pro" });
    const other = await createTenantWithRoles(t.app, "usage-other");
    await withScope(t.app, { tenantId: acme.tenant.id }, async (tx) => {
      await tx.insert(agents).values({ tenantId: acme.tenant.id, name: "Bot", type: "chat", configuration: { prompt: "p", language: "en" } });
      await tx.insert(invitations).values({ tenantId: acme.tenant.id, email: "later@example.com", role: "agent", tokenHash: crypto.randomUUID(), expiresAt: new Date(Date.now() + day) });
      // An expired invitation holds no seat.
      await tx.insert(invitations).values({ tenantId: acme.tenant.id, email: "late@example.com", role: "agent", tokenHash: crypto.randomUUID(), expiresAt: new Date(Date.now() - day) });
    });
    // The first request of the minute draws a lease from the budget (after the procedure): the next one sees it.
    await acme.as(acme.viewer).tenant.current();
    const usage = await acme.as(acme.viewer).tenant.usage();
    expect(usage).toEqual({
      seats: { members: 4, invitations: 1, limit: 5 },
      agents: { used: 1, limit: 20 },
      requests: { thisMinute: expect.any(Number), perMinute: 3000 },
    });
    // The budget's window counts what was drawn this minute (a lease of up to 50 per process).
    const [window] = await t.owner.db
      .select()
      .from(requestBudgets)
      .where(eq(requestBudgets.tenantId, acme.tenant.id))
      .orderBy(desc(requestBudgets.windowStart))
      .limit(1);
    expect(usage.requests.thisMinute).toBe(window!.count);
    expect(usage.requests.thisMinute).toBeGreaterThan(0);
    // Keys too; another tenant's figures are its own.
    const { key } = await createKeyFixture(t.app, acme.tenant.id, "viewer");
    expect((await asKey(t.app, key).tenant.usage()).seats.members).toBe(4);
    expect((await other.as(other.owner).tenant.usage()).agents.used).toBe(0);
    const outsider = await createUser(t.app, "Usage Outsider");
    await addMember(t.app, other.tenant.id, outsider.id, "viewer");
    expect(await codeOf(callerFor(t.app, { user: outsider, sessionId: outsider.sessionId, tenantSlug: "usage-co" }).tenant.usage())).toBe("FORBIDDEN");
  });
});
