import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, availability, engagements, type Routing, type Tenant, tenants, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import {
  addMember,
  asKey,
  asUser,
  codeOf,
  createKeyFixture,
  createTenantFixture,
  createTenantWithRoles,
  createUser,
} from "../../testing";
import { routeNewEngagement } from "./routing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

type Fixture = Awaited<ReturnType<typeof createTenantWithRoles>>;

async function setRouting(tenantId: string, routing: Routing | null): Promise<Tenant> {
  return withScope(t.app, { tenantId }, async (tx) => {
    const [row] = await tx.update(tenants).set({ routing }).where(eq(tenants.id, tenantId)).returning();
    return row!;
  });
}

/** A new unassigned engagement and its routing, in one transaction of the tenant (as engagements.create does). */
function createAndRoute(tenant: Tenant, opts: { fail?: boolean } = {}) {
  return withScope(t.app, { tenantId: tenant.id }, async (tx) => {
    const [row] = await tx.insert(engagements).values({ tenantId: tenant.id, channel: "chat", customer: "visitor" }).returning();
    const assignee = await routeNewEngagement(tx, tenant, row!.id);
    // The rest of a creation (its message, contact, event) keeps the transaction open a while after routing.
    await tx.execute(sql`select pg_sleep(0.02)`);
    if (opts.fail) throw new Error("creation failed after routing");
    return { id: row!.id, assignee };
  });
}

const openCounts = (tenantId: string) =>
  withScope(t.app, { tenantId }, async (tx) => {
    const rows = await tx.select({ assignee: engagements.assignedUserId, status: engagements.status }).from(engagements);
    const counts: Record<string, number> = {};
    for (const r of rows) if (r.assignee && r.status !== "resolved") counts[r.assignee] = (counts[r.assignee] ?? 0) + 1;
    return counts;
  });

const assign = (tenantId: string, engagementId: string, userId: string, status: "new" | "open" | "resolved" = "open") =>
  withScope(t.app, { tenantId }, (tx) =>
    tx
      .update(engagements)
      .set({ assignedUserId: userId, status, resolvedAt: status === "resolved" ? new Date() : null })
      .where(eq(engagements.id, engagementId)),
  );

describe("availability.set / availability.list", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createTenantWithRoles(t.app, "avail-co");
  });

  it("lists every agent-or-above member (offline until set) with their open load; set changes only the caller's own", async () => {
    const before = await f.as(f.viewer).availability.list();
    expect(before.nextCursor).toBeNull();
    expect(before.items).toEqual([
      { userId: f.owner.id, name: "Owner", status: "offline", openEngagements: 0 },
      { userId: f.admin.id, name: "Admin", status: "offline", openEngagements: 0 },
      { userId: f.agent.id, name: "Agent", status: "offline", openEngagements: 0 },
    ]);
    expect(await f.as(f.agent).availability.set({ status: "online" })).toEqual({
      userId: f.agent.id,
      name: "Agent",
      status: "online",
      openEngagements: 0,
    });
    await f.as(f.admin).availability.set({ status: "away" });
    const e1 = await f.as(f.agent).engagements.create({ channel: "chat", customer: "v1", message: "Hi" });
    const e2 = await f.as(f.agent).engagements.create({ channel: "chat", customer: "v2", message: "Hi" });
    await assign(f.tenant.id, e1.id, f.agent.id);
    await assign(f.tenant.id, e2.id, f.agent.id, "resolved"); // resolved: not open
    const after = await f.as(f.agent).availability.list({ limit: 2 });
    expect(after.items.map((i) => [i.name, i.status, i.openEngagements])).toEqual([
      ["Owner", "offline", 0],
      ["Admin", "away", 0],
    ]);
    const rest = await f.as(f.agent).availability.list({ limit: 2, cursor: after.nextCursor! });
    expect(rest).toEqual({ items: [{ userId: f.agent.id, name: "Agent", status: "online", openEngagements: 1 }], nextCursor: null });
    // Setting again is idempotent; each call is audited with the person as the resource.
    await f.as(f.agent).availability.set({ status: "offline" });
    await f.as(f.agent).availability.set({ status: "offline" });
    const entries = await withScope(t.app, { tenantId: f.tenant.id }, (tx) =>
      tx.select().from(auditLog).where(and(eq(auditLog.action, "availability.set"), eq(auditLog.resourceId, f.agent.id))),
    );
    expect(entries.filter((e) => e.result === "success")).toHaveLength(3);
    expect(entries[0]).toMatchObject({ resourceType: "availability", actorId: f.agent.id });
  });

  it("viewers and API keys cannot set an availability; bad input is BAD_REQUEST; another tenant's people never show", async () => {
    expect(await codeOf(f.as(f.viewer).availability.set({ status: "online" }))).toBe("FORBIDDEN");
    const { key } = await createKeyFixture(t.app, f.tenant.id, "admin");
    expect(await codeOf(asKey(t.app, key, "avail-co").availability.set({ status: "online" }))).toBe("FORBIDDEN");
    // Reading is data: a key may.
    expect((await asKey(t.app, key, "avail-co").availability.list()).items).toHaveLength(3);
    for (const input of [{ status: "busy" }, {}, { status: "online", userId: f.owner.id }, { status: null }]) {
      expect(await codeOf(f.as(f.agent).availability.set(input as never)), JSON.stringify(input)).toBe("BAD_REQUEST");
    }
    expect(await codeOf(f.as(f.agent).availability.list({ limit: 0 }))).toBe("BAD_REQUEST");
    expect(await codeOf(f.as(f.agent).availability.list({ cursor: "garbage" }))).toBe("BAD_REQUEST");
    const other = await createTenantWithRoles(t.app, "avail-other");
    await other.as(other.agent).availability.set({ status: "online" });
    const ids = (await f.as(f.owner).availability.list()).items.map((i) => i.userId);
    expect(ids).not.toContain(other.agent.id);
    expect(await codeOf(asUser(t.app, other.agent, "avail-co").availability.set({ status: "online" }))).toBe("FORBIDDEN");
  });

  it("in a department, only its own members take conversations: an organisation's agent is told so", async () => {
    const dept = await createTenantFixture(t.app, { slug: "avail-dept", parentId: f.tenant.id });
    expect(await codeOf(asUser(t.app, f.agent, "avail-dept").availability.set({ status: "online" }))).toBe("PRECONDITION_FAILED");
    const deptAgent = await createUser(t.app, "DeptAgent");
    await addMember(t.app, dept.id, deptAgent.id, "agent");
    expect((await asUser(t.app, deptAgent, "avail-dept").availability.set({ status: "online" })).status).toBe("online");
    expect((await asUser(t.app, f.owner, "avail-dept").availability.list()).items.map((i) => i.userId)).toEqual([deptAgent.id]);
  });
});

describe("routeNewEngagement", () => {
  it("manual or unset routing assigns nothing", async () => {
    const f = await createTenantWithRoles(t.app, "route-manual");
    await f.as(f.agent).availability.set({ status: "online" });
    expect((await createAndRoute(await setRouting(f.tenant.id, null))).assignee).toBeNull();
    const manual = await setRouting(f.tenant.id, { mode: "manual", maxOpenPerAgent: 10 });
    expect((await createAndRoute(manual)).assignee).toBeNull();
  });

  it("round robin: online agents-or-above only, fewest open first, ties to the longest waiting, never past the cap", async () => {
    const f = await createTenantWithRoles(t.app, "route-rr");
    const tenant = await setRouting(f.tenant.id, { mode: "round_robin", maxOpenPerAgent: 2 });
    // Nobody online yet (the viewer does not count even if online: it cannot be set, and is not routed if present).
    await withScope(t.app, { tenantId: tenant.id }, (tx) =>
      tx.insert(availability).values({ tenantId: tenant.id, userId: f.viewer.id, status: "online" }),
    );
    expect((await createAndRoute(tenant)).assignee).toBeNull();
    await f.as(f.agent).availability.set({ status: "online" });
    await f.as(f.admin).availability.set({ status: "online" });
    await f.as(f.owner).availability.set({ status: "away" });
    // Both at 0 and never assigned: the tie goes by user id order among the never-assigned; then alternates.
    const first = (await createAndRoute(tenant)).assignee!;
    expect([f.agent.id, f.admin.id]).toContain(first);
    const second = (await createAndRoute(tenant)).assignee!;
    expect(second).not.toBe(first);
    // 1:1, a tie: `first` has waited longer since its last assignment.
    expect((await createAndRoute(tenant)).assignee).toBe(first);
    // Now first has 2 (the cap), second has 1: second gets the next, then nobody is below the cap.
    expect((await createAndRoute(tenant)).assignee).toBe(second);
    const none = await createAndRoute(tenant);
    expect(none.assignee).toBeNull();
    // Resolving frees a slot; going offline takes a person out.
    const [freed] = await withScope(t.app, { tenantId: tenant.id }, (tx) =>
      tx.select().from(engagements).where(and(eq(engagements.assignedUserId, second), eq(engagements.tenantId, tenant.id))).limit(1),
    );
    await assign(tenant.id, freed!.id, second, "resolved");
    expect((await createAndRoute(tenant)).assignee).toBe(second);
    await asUser(t.app, second === f.agent.id ? f.agent : f.admin, "route-rr").availability.set({ status: "offline" });
    await assign(tenant.id, none.id, first, "resolved"); // unrelated resolve of an unassigned one: still at the cap
    expect((await createAndRoute(tenant)).assignee).toBeNull();
    expect(await openCounts(tenant.id)).toEqual({ [first]: 2, [second]: 2 });
  });

  it("a member demoted to viewer or removed is not routed, whatever their availability row says", async () => {
    const f = await createTenantWithRoles(t.app, "route-gone");
    const tenant = await setRouting(f.tenant.id, { mode: "round_robin", maxOpenPerAgent: 5 });
    await f.as(f.agent).availability.set({ status: "online" });
    await f.as(f.admin).availability.set({ status: "online" });
    await f.as(f.owner).members.updateRole({ userId: f.agent.id, role: "viewer" });
    await f.as(f.owner).members.remove({ email: f.admin.email });
    expect((await createAndRoute(tenant)).assignee).toBeNull();
    expect((await f.as(f.owner).availability.list()).items.map((i) => i.userId)).toEqual([f.owner.id]);
    await f.as(f.owner).availability.set({ status: "online" });
    expect((await createAndRoute(tenant)).assignee).toBe(f.owner.id);
  });

  it("20 concurrent creations with 2 online agents and a cap of 3: exactly 6 assigned, 3 each; a rolled-back creation assigns nothing", async () => {
    const f = await createTenantWithRoles(t.app, "route-race");
    const tenant = await setRouting(f.tenant.id, { mode: "round_robin", maxOpenPerAgent: 3 });
    await f.as(f.agent).availability.set({ status: "online" });
    await f.as(f.admin).availability.set({ status: "online" });
    // A creation that fails after routing rolls its assignment back with it (same transaction).
    await expect(createAndRoute(tenant, { fail: true })).rejects.toThrow(/creation failed/);
    const untouched = await withScope(t.app, { tenantId: tenant.id }, (tx) => tx.select().from(availability));
    expect(untouched.every((a) => a.lastAssignedAt === null)).toBe(true);
    expect(await openCounts(tenant.id)).toEqual({});

    const results = await Promise.all(Array.from({ length: 20 }, () => createAndRoute(tenant)));
    const assigned = results.filter((r) => r.assignee);
    expect(assigned).toHaveLength(6);
    expect(await openCounts(tenant.id)).toEqual({ [f.agent.id]: 3, [f.admin.id]: 3 });
    // …and the same through engagements.create, concurrently (once it routes): nobody above the cap.
    const viaApi = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => f.as(f.agent).engagements.create({ channel: "chat", customer: `race-${i}`, message: "Hi" })),
    );
    expect(viaApi.map((r) => (r.status === "fulfilled" ? r.value.assignedUserId : r.reason))).toEqual(Array(6).fill(null));
    expect(await openCounts(tenant.id)).toEqual({ [f.agent.id]: 3, [f.admin.id]: 3 });
  });
  it("through engagements.create: 20 parallel creations, 2 online agents, cap 3 → exactly 6 assigned, nobody above 3", async () => {
    const f = await createTenantWithRoles(t.app, "route-api");
    await setRouting(f.tenant.id, { mode: "round_robin", maxOpenPerAgent: 3 });
    await f.as(f.agent).availability.set({ status: "online" });
    await f.as(f.admin).availability.set({ status: "online" });
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) => f.as(f.agent).engagements.create({ channel: "chat", customer: `api-${i}`, message: "Hello" })),
    );
    const assigned = created.filter((e) => e.assignedUserId);
    expect(assigned).toHaveLength(6);
    expect(await openCounts(f.tenant.id)).toEqual({ [f.agent.id]: 3, [f.admin.id]: 3 });
    // What the API answered is what was stored (assignment in the creation's transaction, not after it).
    const stored = await withScope(t.app, { tenantId: f.tenant.id }, (tx) => tx.select({ id: engagements.id, assignee: engagements.assignedUserId }).from(engagements));
    const byId = new Map(stored.map((r) => [r.id, r.assignee]));
    for (const e of created) expect(byId.get(e.id)).toBe(e.assignedUserId);
    expect((await f.as(f.viewer).availability.list()).items.filter((i) => i.status === "online").map((i) => i.openEngagements)).toEqual([3, 3]);
  });
});
