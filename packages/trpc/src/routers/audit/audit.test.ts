import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestBudgets, tierDefaults } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { asKey, asUser, codeOf, createKeyFixture, createTenantFixture, createUser } from "../../testing";

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
    const created = await asKey(t.app, key.key).apiKeys.create({ name: "From bot", role: "viewer" });
    expect(await codeOf(asUser(t.app, agent, "audit-co").members.add({ email: "x@audit.test", role: "viewer" }))).toBe("FORBIDDEN");
    expect(await codeOf(o.members.remove({ email: "nobody@audit.test" }))).toBe("NOT_FOUND");
    // Failed validation is not an attempt on a resource.
    expect(await codeOf(o.tenant.update({ branding: { primaryColor: "red" } }))).toBe("BAD_REQUEST");

    const { items } = await o.audit.list();
    expect(items.map((i) => [i.action, i.result, i.actor.label])).toEqual([
      ["members.remove", "denied", owner.email],
      ["members.add", "denied", agent.email],
      ["apiKeys.create", "success", "Deploy bot"],
      ["tenant.update", "success", owner.email],
    ]);
    expect(items[2]).toMatchObject({
      actor: { type: "apiKey", id: key.id },
      resourceType: "apiKey",
      resourceId: created.id,
      ip: "127.0.0.1",
      userAgent: "vitest",
    });
    expect(items[3]).toMatchObject({ actor: { type: "user", id: owner.id }, resourceType: "tenant", resourceId: tenant.id });

    expect((await o.audit.list({ result: "denied" })).items).toHaveLength(2);
    expect((await o.audit.list({ actorId: key.id })).items.map((i) => i.action)).toEqual(["apiKeys.create"]);
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
