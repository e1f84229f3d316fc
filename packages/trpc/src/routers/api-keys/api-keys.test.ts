import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "@switchboard/auth";
import { apiKeys, auditLog, tenants } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { allPages, asKey, asUser, callerFor, codeOf, createKeyFixture, createTenantFixture, createUser } from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

describe("API keys", () => {
  it("are sk_-prefixed, shown once, stored hashed, and act with their role in their tenant only", async () => {
    const owner = await createUser(t.app, "Keys");
    const org = await createTenantFixture(t.app, { slug: "keys-org", members: [[owner.id, "owner"]] });
    await createTenantFixture(t.app, { slug: "keys-dept", parentId: org.id });
    await createTenantFixture(t.app, { slug: "keys-other", members: [[owner.id, "owner"]] });
    const created = await asUser(t.app, owner, "keys-org").apiKeys.create({ name: "Reporting", role: "viewer" });
    expect(created.key).toMatch(/^sk_[\w-]{43}$/);
    const [row] = await t.owner.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row!.keyHash).toBe(hashToken(created.key));
    expect(JSON.stringify(row)).not.toContain(created.key.slice(11));
    const listed = await asUser(t.app, owner, "keys-org").apiKeys.list();
    expect(listed.items[0]).toEqual({ ...created, key: undefined, lastUsedAt: null } as never);
    expect(JSON.stringify(listed)).not.toContain(created.key);

    // The key's own tenant, with or without naming it; never another, nor a department below it.
    expect((await asKey(t.app, created.key).tenant.current()).slug).toBe("keys-org");
    expect((await asKey(t.app, created.key, "keys-org").members.list()).items).toHaveLength(1);
    expect(await codeOf(asKey(t.app, created.key, "keys-other").tenant.current())).toBe("FORBIDDEN");
    expect(await codeOf(asKey(t.app, created.key, "keys-dept").tenant.current())).toBe("FORBIDDEN");
    // Viewer role: no writes. Not a session: no session procedures.
    expect(await codeOf(asKey(t.app, created.key).apiKeys.list())).toBe("FORBIDDEN");
    expect(await codeOf(asKey(t.app, created.key).tenant.update({ name: "Nope" }))).toBe("FORBIDDEN");
    expect(await codeOf(callerFor(t.app, { apiKey: created.key }).auth.me())).toBe("UNAUTHORIZED");
    expect(await codeOf(callerFor(t.app, { apiKey: created.key }).tenants.list())).toBe("UNAUTHORIZED");
    // A key wins over a session in the same call: the API ignores the cookie when a key is presented.
    expect(await codeOf(callerFor(t.app, { apiKey: created.key, user: owner, sessionId: owner.sessionId, tenantSlug: "keys-org" }).apiKeys.list())).toBe("FORBIDDEN");
  });

  it("records lastUsedAt at most once a minute; revoked, expired and unknown keys are UNAUTHORIZED", async () => {
    const owner = await createUser(t.app, "Expiry");
    await createTenantFixture(t.app, { slug: "expiry-co", members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, "expiry-co");
    const { key, id } = await o.apiKeys.create({ name: "Ops", role: "admin" });
    await asKey(t.app, key).tenant.current();
    const first = (await o.apiKeys.list()).items.find((k) => k.id === id)!.lastUsedAt;
    expect(first).not.toBeNull();
    await asKey(t.app, key).tenant.current();
    expect((await o.apiKeys.list()).items.find((k) => k.id === id)!.lastUsedAt).toBe(first);

    // Revoked: refused from the next request on.
    const second = await o.apiKeys.create({ name: "Revoked soon", role: "agent" });
    expect(await codeOf(asKey(t.app, second.key).tenant.current())).toBe("OK");
    expect(await codeOf(o.apiKeys.create({ name: "Owner key", role: "owner" as never }))).toBe("BAD_REQUEST");
    expect((await o.apiKeys.revoke({ id: second.id })).revokedAt).not.toBeNull();
    expect(await codeOf(asKey(t.app, second.key).tenant.current())).toBe("UNAUTHORIZED");

    const soon = await o.apiKeys.create({ name: "Short", role: "viewer", expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect(await codeOf(asKey(t.app, soon.key).tenant.current())).toBe("OK");
    await t.owner.db.update(apiKeys).set({ expiresAt: new Date(Date.now() - 1) }).where(eq(apiKeys.id, soon.id));
    expect(await codeOf(asKey(t.app, soon.key).tenant.current())).toBe("UNAUTHORIZED");
    expect(await codeOf(o.apiKeys.create({ name: "Past", role: "viewer", expiresAt: "2001-01-01T00:00:00Z" }))).toBe("BAD_REQUEST");
    expect(await codeOf(asKey(t.app, `sk_${"x".repeat(43)}`).tenant.current())).toBe("UNAUTHORIZED");
    expect(await codeOf(o.apiKeys.revoke({ id: crypto.randomUUID() }))).toBe("NOT_FOUND");
  });

  it("a key this process has admitted before is admitted in one query and still re-checked on every request", async () => {
    const owner = await createUser(t.app, "Known");
    const org = await createTenantFixture(t.app, { slug: "known-org", members: [[owner.id, "owner"]] });
    const dept = await createTenantFixture(t.app, { slug: "known-dept", parentId: org.id, members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, "known-org");
    const d = asUser(t.app, owner, "known-dept");
    const revoked = await o.apiKeys.create({ name: "Revoked later", role: "viewer" });
    const deleted = await o.apiKeys.create({ name: "Deleted later", role: "viewer" });
    const deptKey = await d.apiKeys.create({ name: "Department", role: "viewer" });
    // Seen once: this process now scopes the key's next transaction to its tenant from the first statement.
    for (const k of [revoked, deleted, deptKey]) expect(await codeOf(asKey(t.app, k.key).tenant.current())).toBe("OK");
    expect((await asKey(t.app, deptKey.key).tenant.current()).slug).toBe("known-dept");
    expect(await codeOf(asKey(t.app, deptKey.key, "known-org").tenant.current())).toBe("FORBIDDEN");

    await o.apiKeys.revoke({ id: revoked.id });
    expect(await codeOf(asKey(t.app, revoked.key).tenant.current())).toBe("UNAUTHORIZED");
    await t.owner.db.delete(apiKeys).where(eq(apiKeys.id, deleted.id));
    expect(await codeOf(asKey(t.app, deleted.key).tenant.current())).toBe("UNAUTHORIZED");
    // The organisation closes: its departments close with it, for keys seen before too.
    await t.owner.db.update(tenants).set({ status: "suspended" }).where(eq(tenants.id, org.id));
    expect(await codeOf(asKey(t.app, deptKey.key).tenant.current())).toBe("FORBIDDEN");
    await t.owner.db.update(tenants).set({ status: "active" }).where(eq(tenants.id, org.id));
    expect(await codeOf(asKey(t.app, deptKey.key).tenant.current())).toBe("OK");
    void dept;
  });

  it("every key expires: 90 days by default, at most 366 days ahead, never in the past", async () => {
    const owner = await createUser(t.app, "Lifetime");
    await createTenantFixture(t.app, { slug: "lifetime-co", members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, "lifetime-co");
    const day = 86_400_000;
    const plain = await o.apiKeys.create({ name: "Default", role: "viewer" });
    expect(Math.abs(Date.parse(plain.expiresAt!) - (Date.now() + 90 * day))).toBeLessThan(60_000);
    const longest = new Date(Date.now() + 366 * day - 60_000).toISOString();
    expect((await o.apiKeys.create({ name: "Year", role: "viewer", expiresAt: longest })).expiresAt).toBe(longest);
    for (const expiresAt of [new Date(Date.now() + 367 * day).toISOString(), "2001-01-01T00:00:00Z", "9999-12-31T00:00:00Z"]) {
      const err = await o.apiKeys.create({ name: "Bad", role: "viewer", expiresAt }).catch((e: unknown) => e);
      expect((err as { code?: string }).code, expiresAt).toBe("BAD_REQUEST");
      expect(String((err as Error).message)).toContain("expiresAt");
    }
    expect((await o.apiKeys.list()).items.map((k) => k.name).sort()).toEqual(["Default", "Year"]);
  });

  it("keys work data, never access: every apiKeys procedure refuses a key, even an admin one (FORBIDDEN, audited)", async () => {
    const owner = await createUser(t.app, "Leak");
    const tenant = await createTenantFixture(t.app, { slug: "leak-co", members: [[owner.id, "owner"]] });
    const { key, id } = await createKeyFixture(t.app, tenant.id, "admin", "Leaked");
    const k = asKey(t.app, key);
    expect(await codeOf(k.apiKeys.create({ name: "Persistence", role: "admin" }))).toBe("FORBIDDEN");
    expect(await codeOf(k.apiKeys.list())).toBe("FORBIDDEN");
    expect(await codeOf(k.apiKeys.revoke({ id }))).toBe("FORBIDDEN");
    // It still works data.
    expect(await codeOf(k.leads.create({ name: "Still works" }))).toBe("OK");
    const keys = await t.owner.db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenant.id));
    expect(keys.map((r) => [r.name, r.revokedAt])).toEqual([["Leaked", null]]);
    const denied = await t.owner.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.result, "denied")));
    expect(denied.map((d) => [d.action, d.actorId]).sort()).toEqual([["apiKeys.create", id], ["apiKeys.revoke", id]]);
  });
});

describe("apiKeys.list paging", () => {
  it("pages through every key exactly once, also when several were created within the same millisecond", async () => {
    const owner = await createUser(t.app, "KeyPager");
    const tenant = await createTenantFixture(t.app, { slug: "key-pages", members: [[owner.id, "owner"]] });
    // One statement: every key gets the same transaction timestamp (microseconds included).
    const inserted = await t.owner.db
      .insert(apiKeys)
      .values([0, 1, 2, 3, 4].map((i) => ({ tenantId: tenant.id, name: `Key ${i}`, role: "viewer" as const, prefix: `sk_page${i}`, keyHash: `hash-${i}` })))
      .returning({ id: apiKeys.id });
    const { items, pages } = await allPages((cursor) => asUser(t.app, owner, tenant.slug).apiKeys.list({ limit: 2, cursor }));
    expect(items.map((k) => k.id).sort()).toEqual(inserted.map((k) => k.id).sort());
    expect(pages).toBe(3);
  });
});
