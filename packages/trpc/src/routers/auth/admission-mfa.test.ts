// MFA in admission: a tenant's security.requireMfa, and platform-admin powers only with MFA; PLATFORM_ADMIN_EMAILS.
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantListedPlatformAdmins } from "@switchboard/auth";
import { emailOutbox, tenants, users, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { hasPlatformPowers } from "../../lib/platform-powers";
import { asKey, asUser, callerFor, codeOf, createKeyFixture, createTenantFixture, createTenantWithRoles, createUser } from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const requireMfa = (tenantId: string) =>
  t.owner.db.update(tenants).set({ settings: { "security.requireMfa": true } }).where(eq(tenants.id, tenantId));
const withMfa = async <U extends { id: string }>(user: U) => {
  await t.owner.db.update(users).set({ mfaEnabledAt: new Date() }).where(eq(users.id, user.id));
  return { ...user, mfaEnabled: true };
};

describe("security.requireMfa", () => {
  it("refuses members without MFA (FORBIDDEN, saying why), admits them with MFA, and API keys as before", async () => {
    const w = await createTenantWithRoles(t.app, "mfa-required");
    await requireMfa(w.tenant.id);
    for (const member of [w.owner, w.admin, w.agent, w.viewer]) {
      await expect(w.as(member).tenant.current()).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: "This tenant requires two-factor authentication",
      });
    }
    expect(await codeOf(w.as(await withMfa(w.agent)).tenant.current())).toBe("OK");
    const key = await createKeyFixture(t.app, w.tenant.id, "viewer");
    expect(await codeOf(asKey(t.app, key.key, "mfa-required").tenant.current())).toBe("OK");
    // A department of an organisation that requires MFA requires it too.
    const dept = await createTenantFixture(t.app, { slug: "mfa-required-dept", parentId: w.tenant.id, members: [[w.viewer.id, "viewer"]] });
    expect(await codeOf(asUser(t.app, w.viewer, dept.slug).tenant.current())).toBe("FORBIDDEN");
  });

  it("leaves tenants without the setting alone", async () => {
    const w = await createTenantWithRoles(t.app, "mfa-optional");
    expect(await codeOf(w.as(w.viewer).tenant.current())).toBe("OK");
  });
});

describe("platform-admin powers", () => {
  it("need MFA: a flagged account without it is an outsider to other tenants, in admission and in the database", async () => {
    const w = await createTenantWithRoles(t.app, "platform-target");
    await t.owner.db.update(tenants).set({ status: "suspended" }).where(eq(tenants.id, w.tenant.id));
    const root = await createUser(t.app, "Root");
    await t.owner.db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, root.id));
    const flagged = { ...root, isPlatformAdmin: true };
    expect(hasPlatformPowers(flagged)).toBe(false);
    expect(await codeOf(asUser(t.app, flagged, "platform-target").tenant.current())).toBe("FORBIDDEN");
    const visible = () => withScope(t.app, { userId: root.id }, (tx) => tx.select({ id: tenants.id }).from(tenants));
    expect((await visible()).map((r) => r.id)).not.toContain(w.tenant.id);

    const powered = await withMfa(flagged);
    expect(hasPlatformPowers(powered)).toBe(true);
    expect(await codeOf(asUser(t.app, powered, "platform-target").tenant.current())).toBe("OK");
    expect((await visible()).map((r) => r.id)).toContain(w.tenant.id);
  });

  it("PLATFORM_ADMIN_EMAILS flags a listed account once its address is verified (verification, sign-in, start-up)", async () => {
    const listed = ["boss@example.test", "ops@example.test", "later@example.test"];
    const asListed = (opts: Parameters<typeof callerFor>[1] = {}) => callerFor(t.app, { ...opts, platformAdminEmails: listed });
    const { user } = await asListed().auth.register({ email: "boss@example.test", password: "a long enough password", name: "Boss" });
    const flag = async (id: string) => (await t.owner.db.select().from(users).where(eq(users.id, id)))[0]!.isPlatformAdmin;
    expect(await flag(user.id)).toBe(false); // unverified: not yet
    const [mail] = await t.owner.db.select().from(emailOutbox).where(eq(emailOutbox.to, "boss@example.test")).orderBy(desc(emailOutbox.createdAt));
    await asListed().auth.verifyEmail({ token: /token=([A-Za-z0-9_-]+)/.exec(mail!.body)![1]! });
    expect(await flag(user.id)).toBe(true);

    // Listed after verifying: the next sign-in applies it.
    const ops = await createUser(t.app, "Ops");
    await t.owner.db.update(users).set({ email: "ops@example.test" }).where(eq(users.id, ops.id));
    await asListed({ ip: "10.40.0.1" }).auth.login({ email: "ops@example.test", password: "correct horse battery" });
    expect(await flag(ops.id)).toBe(true);

    // Start-up: verified listed accounts only.
    const later = await createUser(t.app, "Later");
    await t.owner.db.update(users).set({ email: "later@example.test" }).where(eq(users.id, later.id));
    const unverified = await createUser(t.app, "Unverified", { verified: false });
    await grantListedPlatformAdmins(t.app.db, [...listed, unverified.email]);
    expect(await flag(later.id)).toBe(true);
    expect(await flag(unverified.id)).toBe(false);
  });
});
