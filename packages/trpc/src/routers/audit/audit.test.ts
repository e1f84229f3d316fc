import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type DbHandle, requestBudgets, tierDefaults } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { asKey, asUser, callerFor, codeOf, createKeyFixture, createTenantFixture, createUser } from "../../testing";
import { outsiderDenialsPerMinute } from "./audit.service";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

describe("audit trail", () => {
  it("records mutations with actor, action, resource, ip and user agent; refusals as denied; reads as nothing", async () => {
    const owner = await createUser(t.app, "Auditor");
    const agent = await createUser(t.app, "AuditAgent");
    const tenant = await createTenantFixture(t.app, { slug: "audit-co", members: [[owner.id, "owner"], [agent.id, "agent"]] });
    const key = await createKeyFixture(t.app, tenant.id, "admin", "Deploy bot");
    const o = asUser(t.app, owner, "audit-co");
    await o.tenant.current();
    await o.tenant.update({ name: "Audit Co" });
    const created = await asKey(t.app, key.key).leads.create({ name: "From bot" });
    expect(await codeOf(asUser(t.app, agent, "audit-co").members.add({ email: "x@audit.test", role: "viewer" }))).toBe("FORBIDDEN");
    expect(await codeOf(o.members.remove({ email: "nobody@audit.test" }))).toBe("NOT_FOUND");
    // Failed validation is not an attempt on a resource.
    expect(await codeOf(o.tenant.update({ branding: { primaryColor: "red" } }))).toBe("BAD_REQUEST");

    const { items } = await o.audit.list();
    expect(items.map((i) => [i.action, i.result, i.actor.label])).toEqual([
      ["members.remove", "denied", owner.email],
      ["members.add", "denied", agent.email],
      ["leads.create", "success", "Deploy bot"],
      ["tenant.update", "success", owner.email],
    ]);
    expect(items[2]).toMatchObject({
      actor: { type: "apiKey", id: key.id },
      resourceType: "lead",
      resourceId: created.id,
      ip: "127.0.0.1",
      userAgent: "vitest",
    });
    expect(items[3]).toMatchObject({ actor: { type: "user", id: owner.id }, resourceType: "tenant", resourceId: tenant.id });

    expect((await o.audit.list({ result: "denied" })).items).toHaveLength(2);
    expect((await o.audit.list({ actorId: key.id })).items.map((i) => i.action)).toEqual(["leads.create"]);
    expect((await o.audit.list({ action: "tenant.update", resourceType: "tenant" })).items).toHaveLength(1);
    expect((await o.audit.list({ from: new Date(Date.now() + 60_000).toISOString() })).items).toHaveLength(0);
    expect(await codeOf(asUser(t.app, agent, "audit-co").audit.list())).toBe("FORBIDDEN");
  });

  it("a mutation that fails after writing leaves neither its change nor a success entry", async () => {
    const owner = await createUser(t.app, "Rollback");
    await createTenantFixture(t.app, { slug: "rollback-co", maxUsers: 1, members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, "rollback-co");
    // The re-invite revocation runs before the seat check refuses: both must roll back together.
    expect(await codeOf(o.members.add({ email: "full@rollback.test", role: "agent" }))).toBe("PRECONDITION_FAILED");
    const { items } = await o.audit.list();
    expect(items.map((i) => [i.action, i.result, i.reason])).toEqual([["members.add", "denied", "PRECONDITION_FAILED"]]);
    expect((await o.invitations.list()).items).toEqual([]);
  });

  it("pages newest first with an opaque cursor over (at, id)", async () => {
    const owner = await createUser(t.app, "Pager");
    await createTenantFixture(t.app, { slug: "pager-co", members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, "pager-co");
    for (let i = 0; i < 7; i++) await o.tenant.update({ settings: { step: i } });
    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = await o.audit.list({ limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(await codeOf(o.audit.list({ cursor: "bm90IGEgY3Vyc29y" }))).toBe("BAD_REQUEST");
    expect(await codeOf(o.audit.list({ limit: 101 }))).toBe("BAD_REQUEST");
  });
});

describe("request budget", () => {
  it("is shared by a tenant's users and keys, per minute, by tier; outsiders do not spend it", async () => {
    const owner = await createUser(t.app, "Budget");
    const outsider = await createUser(t.app, "Outsider");
    const tenant = await createTenantFixture(t.app, { slug: "budget-co", tier: "free", members: [[owner.id, "owner"]] });
    const key = await createKeyFixture(t.app, tenant.id, "viewer");
    const limit = tierDefaults.free.requestsPerMinute;
    // Spend all but two requests of this minute's window (and the next, in case the minute turns meanwhile).
    for (const offset of [0, 1]) {
      await t.owner.db
        .insert(requestBudgets)
        .values({ tenantId: tenant.id, windowStart: sql`date_trunc('minute', now()) + make_interval(mins => ${offset})`, count: limit - 2 });
    }
    expect(await codeOf(asUser(t.app, outsider, "budget-co").tenant.current())).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, owner, "budget-co").tenant.current())).toBe("OK");
    expect(await codeOf(asKey(t.app, key.key).tenant.current())).toBe("OK");
    expect(await codeOf(asUser(t.app, owner, "budget-co").tenant.current())).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(asKey(t.app, key.key).tenant.current())).toBe("TOO_MANY_REQUESTS");
    const rows = await t.owner.db.select().from(requestBudgets).where(and(eq(requestBudgets.tenantId, tenant.id)));
    expect(Math.max(...rows.map((r) => r.count))).toBe(limit);
  });
});

/** Waits out the last seconds of a minute, so a burst counted per minute falls into one window. */
async function awayFromMinuteEnd() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 8_000) await new Promise((r) => setTimeout(r, left + 200));
}

describe("outsiders cannot flood the audit trail", () => {
  type Person = Awaited<ReturnType<typeof createUser>>;
  const outsiderOn = (db: DbHandle, user: Person, slug: string, opts: { userAgent?: string; dropped?: { n: number } } = {}) =>
    callerFor(db, {
      user,
      sessionId: user.sessionId,
      tenantSlug: slug,
      userAgent: opts.userAgent ?? "vitest",
      onAuditDenialDropped: () => opts.dropped && opts.dropped.n++,
    });

  it(`a non-member leaves at most ${outsiderDenialsPerMinute} denied entries per tenant per minute; the rest are counted; members are not capped`, async () => {
    const owner = await createUser(t.app, "FloodOwner");
    const agent = await createUser(t.app, "FloodAgent");
    const outsider = await createUser(t.app, "Flooder");
    await createTenantFixture(t.app, { slug: "flood-co", members: [[owner.id, "owner"], [agent.id, "agent"]] });
    await createTenantFixture(t.app, { slug: "flood-other", members: [[owner.id, "owner"]] });
    const dropped = { n: 0 };
    await awayFromMinuteEnd();
    for (let i = 0; i < 15; i++) {
      expect(await codeOf(outsiderOn(t.app, outsider, "flood-co", { dropped }).tenant.update({ name: `Mine ${i}` }))).toBe("FORBIDDEN");
    }
    // Another tenant has its own allowance.
    expect(await codeOf(outsiderOn(t.app, outsider, "flood-other", { dropped }).tenant.update({ name: "Mine" }))).toBe("FORBIDDEN");
    // A member's refusals are all recorded, cap or not.
    for (let i = 0; i < 12; i++) {
      expect(await codeOf(asUser(t.app, agent, "flood-co").members.add({ email: `m${i}@flood.test`, role: "viewer" }))).toBe("FORBIDDEN");
    }
    const o = asUser(t.app, owner, "flood-co");
    const denied = await o.audit.list({ result: "denied", limit: 100 });
    expect(denied.items.filter((i) => i.actor.id === outsider.id)).toHaveLength(outsiderDenialsPerMinute);
    expect(denied.items.filter((i) => i.actor.id === agent.id)).toHaveLength(12);
    expect(dropped.n).toBe(15 - outsiderDenialsPerMinute);
    const other = await asUser(t.app, owner, "flood-other").audit.list({ result: "denied" });
    expect(other.items.map((i) => i.actor.id)).toEqual([outsider.id]);
  });

  it.runIf(process.env.SB_TEST_DATABASE_URL)("the cap holds across replicas (two pools, concurrent attempts)", async () => {
    const replica2 = await createDb({ url: t.appUrl!, max: 4 });
    try {
      const owner = await createUser(t.app, "ReplicaOwner");
      const outsider = await createUser(t.app, "ReplicaFlooder");
      await createTenantFixture(t.app, { slug: "flood-replicas", members: [[owner.id, "owner"]] });
      const dropped = { n: 0 };
      await awayFromMinuteEnd();
      const attempts = Array.from({ length: 16 }, (_, i) =>
        codeOf(outsiderOn(i % 2 ? replica2 : t.app, outsider, "flood-replicas", { dropped }).tenant.update({ name: `R${i}` })),
      );
      expect(new Set(await Promise.all(attempts))).toEqual(new Set(["FORBIDDEN"]));
      const denied = await asUser(t.app, owner, "flood-replicas").audit.list({ result: "denied", limit: 100 });
      expect(denied.items).toHaveLength(outsiderDenialsPerMinute);
      expect(dropped.n).toBe(16 - outsiderDenialsPerMinute);
    } finally {
      await replica2.close();
    }
  });

  it("keeps ids from unvalidated input only when they are UUIDs, and truncates user agents", async () => {
    const owner = await createUser(t.app, "IdOwner");
    const outsider = await createUser(t.app, "IdFlooder");
    await createTenantFixture(t.app, { slug: "ids-co", members: [[owner.id, "owner"]] });
    const uuid = "4b01b5c4-290d-4f10-a534-81f7876e7542";
    const as = outsiderOn(t.app, outsider, "ids-co", { userAgent: `Evil/1.0 ${"A".repeat(5000)}` });
    expect(await codeOf(as.leads.delete({ id: "<img src=x onerror=alert(1)> pay to …" }))).toBe("FORBIDDEN");
    expect(await codeOf(as.leads.delete({ id: uuid }))).toBe("FORBIDDEN");
    const { items } = await asUser(t.app, owner, "ids-co").audit.list({ result: "denied" });
    expect(items.map((i) => i.resourceId)).toEqual([uuid, null]);
    for (const i of items) {
      expect(i.userAgent).toHaveLength(512);
      expect(i.userAgent!.startsWith("Evil/1.0 AAA")).toBe(true);
    }
  });
});
