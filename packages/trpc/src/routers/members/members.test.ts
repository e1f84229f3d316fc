import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, emailOutbox, invitations, memberships, tenants } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { retryAfterOf } from "../../errors";
import { invitationsPerTenantPerHour } from "./members.service";
import {
  addMember,
  allPages,
  asKey,
  asUser,
  codeOf,
  createKeyFixture,
  createTenantFixture,
  createUser,
  mailedInvitationToken,
} from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

describe("members", () => {
  it("the last owner cannot leave, be removed or be demoted; with a second owner they can", async () => {
    const owner = await createUser(t.app, "LastOwner");
    const admin = await createUser(t.app, "Adm");
    const tenant = await createTenantFixture(t.app, { slug: "last-owner", members: [[owner.id, "owner"], [admin.id, "admin"]] });
    const o = asUser(t.app, owner, tenant.slug);
    expect(await codeOf(o.members.leave())).toBe("PRECONDITION_FAILED");
    expect(await codeOf(o.members.remove({ email: owner.email }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(o.members.updateRole({ userId: owner.id, role: "admin" }))).toBe("PRECONDITION_FAILED");
    // Admins cannot touch owners at all.
    const a = asUser(t.app, admin, tenant.slug);
    expect(await codeOf(a.members.updateRole({ userId: admin.id, role: "owner" }))).toBe("FORBIDDEN");
    expect(await codeOf(a.members.remove({ email: owner.email }))).toBe("FORBIDDEN");
    expect(await codeOf(a.members.add({ email: "someone@owner.test", role: "owner" }))).toBe("FORBIDDEN");
    // Promote the admin, then the first owner may step down.
    await o.members.updateRole({ userId: admin.id, role: "owner" });
    expect((await o.members.updateRole({ userId: owner.id, role: "viewer" })).role).toBe("viewer");
    const { items } = await asUser(t.app, admin, tenant.slug).members.list();
    expect(items.map((m) => [m.email, m.role]).sort()).toEqual([[admin.email, "owner"], [owner.email, "viewer"]].sort());
  });

  it("members.add always invites: the same answer for registered and unknown addresses, naming no account, granting nothing", async () => {
    const owner = await createUser(t.app, "Seats");
    const known = await createUser(t.app, "Known");
    const tenant = await createTenantFixture(t.app, { slug: "seats-co", maxUsers: 3, members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, tenant.slug);
    await o.tenant.update({ branding: { displayName: "Seats Brand", primaryColor: "#123abc" } });
    const forKnown = await o.members.add({ email: known.email, role: "agent" });
    const forUnknown = await o.members.add({ email: "New.Person@Seats.test", role: "viewer" });
    for (const [res, email, role] of [[forKnown, known.email, "agent"], [forUnknown, "new.person@seats.test", "viewer"]] as const) {
      expect(res).toEqual({ status: "invited", invitation: { id: expect.any(String), email, role, expiresAt: expect.any(String) } });
      expect(Date.parse(res.invitation.expiresAt) - Date.now()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    }
    expect(JSON.stringify(forKnown)).not.toContain(known.name);
    expect(JSON.stringify(forKnown)).not.toContain(known.id);
    // Nothing granted: the registered person is not a member until they accept.
    expect((await o.members.list()).items.map((m) => m.email)).toEqual([owner.email]);
    expect(await codeOf(asUser(t.app, known, tenant.slug).tenant.current())).toBe("FORBIDDEN");
    // Mailed in the same transaction, to the tenant's host; the token kept only as a hash.
    const mail = await t.owner.db.select().from(emailOutbox).where(and(eq(emailOutbox.tenantId, tenant.id), eq(emailOutbox.to, known.email)));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.kind).toBe("invitation");
    expect(mail[0]!.body).toMatch(/http:\/\/seats-co\.localhost:3000\/invitations\/accept\?token=[\w-]{43}/);
    // The tenant's branding (its organisation's when not overridden) and the inviter's name.
    expect(mail[0]!.subject).toBe("You are invited to Seats Brand on Switchboard");
    expect(mail[0]!.html).toContain("#123abc");
    expect(mail[0]!.body).toContain(`${owner.name} invited you`);
    const token = await mailedInvitationToken(t.owner, known.email);
    const [row] = await t.owner.db.select().from(invitations).where(eq(invitations.id, forKnown.invitation.id));
    expect(row!.tokenHash).not.toContain(token);
    expect(row!.invitedBy).toBe(owner.id);
    // Already a member (visible on the members page anyway).
    expect(await codeOf(o.members.add({ email: owner.email, role: "agent" }))).toBe("CONFLICT");
    // 1 member + 2 pending invitations = 3 seats: full. Re-inviting the same address replaces its invitation, so it fits.
    expect(await codeOf(o.members.add({ email: "fourth@seats.test", role: "viewer" }))).toBe("PRECONDITION_FAILED");
    const again = await o.members.add({ email: "new.person@seats.test", role: "agent" });
    const list = await o.invitations.list();
    expect(list.items.map((i) => [i.email, i.status]).sort()).toEqual([
      [known.email, "pending"],
      ["new.person@seats.test", "pending"],
      ["new.person@seats.test", "revoked"],
    ]);
    expect(list.items.find((i) => i.id === forUnknown.invitation.id)!.status).toBe("revoked");
    // Revoking frees the seat.
    await o.invitations.revoke({ id: again.invitation.id });
    expect((await o.members.add({ email: "fourth@seats.test", role: "viewer" })).status).toBe("invited");
  });

  it("pre-registration takeover: whoever registers an address first gains nothing from an invitation to it", async () => {
    const owner = await createUser(t.app, "Victim");
    const tenant = await createTenantFixture(t.app, { slug: "victim-co", members: [[owner.id, "owner"]] });
    // The attacker registers new.hire@victim.test before the real person; without the mailbox they cannot verify it.
    const attacker = await createUser(t.app, "Attacker", { verified: false });
    await t.owner.db.execute(sql`update users set email = 'new.hire@victim.test' where id = ${attacker.id}`);
    const squatter = { ...attacker, email: "new.hire@victim.test" };
    const res = await asUser(t.app, owner, tenant.slug).members.add({ email: "new.hire@victim.test", role: "admin" });
    expect(res).toEqual({
      status: "invited",
      invitation: { id: expect.any(String), email: "new.hire@victim.test", role: "admin", expiresAt: expect.any(String) },
    });
    // No access, no listing, no accepting by id; only the mailed token accepts, and it is in the real person's mailbox.
    expect(await codeOf(asUser(t.app, squatter, tenant.slug).tenant.current())).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, squatter).invitations.mine())).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, squatter).invitations.accept({ id: res.invitation.id }))).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, squatter).invitations.accept({ token: "guessed-token" }))).toBe("NOT_FOUND");
    const mine = await t.owner.db.select().from(memberships).where(eq(memberships.userId, attacker.id));
    expect(mine).toEqual([]);
  });

  it("removal and leaving end the person's department memberships too, in the same transaction; org owners keep acting there", async () => {
    const owner = await createUser(t.app, "OrgOwner");
    const admin = await createUser(t.app, "GoneAdmin");
    const org = await createTenantFixture(t.app, { slug: "rm-org", members: [[owner.id, "owner"], [admin.id, "admin"]] });
    // The admin created two departments (owning them directly) and is an agent in a third.
    const a = asUser(t.app, admin);
    const sales = await a.tenants.create({ name: "Sales", slug: "rm-sales", parentId: org.id });
    const support = await a.tenants.create({ name: "Support", slug: "rm-support", parentId: org.id });
    const ops = await createTenantFixture(t.app, { slug: "rm-ops", parentId: org.id, members: [[admin.id, "agent"]] });
    const elsewhere = await createTenantFixture(t.app, { slug: "rm-elsewhere", members: [[admin.id, "owner"]] });
    expect(await codeOf(asUser(t.app, admin, "rm-sales").tenant.current())).toBe("OK");

    await asUser(t.app, owner, "rm-org").members.remove({ email: admin.email });
    for (const slug of ["rm-org", "rm-sales", "rm-support", "rm-ops"]) {
      expect(await codeOf(asUser(t.app, admin, slug).tenant.current()), slug).toBe("FORBIDDEN");
    }
    const left = await t.owner.db.select().from(memberships).where(eq(memberships.userId, admin.id));
    expect(left.map((r) => r.tenantId)).toEqual([elsewhere.id]);
    const depts = await t.owner.db.select({ n: tenants.memberCount }).from(tenants).where(eq(tenants.parentId, org.id));
    expect(depts.map((d) => d.n)).toEqual([0, 0, 0]);
    // The organisation's owner still acts as owner in the departments; the removal is audited in the organisation.
    expect((await asUser(t.app, owner).tenants.list()).items.find((i) => i.id === sales.id)?.role).toBe("owner");
    expect((await asUser(t.app, owner, "rm-support").members.add({ email: "next@rm.test", role: "agent" })).status).toBe("invited");
    const audit = await t.owner.db.select().from(auditLog).where(and(eq(auditLog.tenantId, org.id), eq(auditLog.action, "members.remove")));
    expect(audit.map((e) => [e.result, e.resourceId])).toEqual([["success", admin.id]]);

    // Leaving does the same.
    const leaver = await createUser(t.app, "Leaver");
    await addMember(t.app, org.id, leaver.id, "viewer");
    await addMember(t.app, support.id, leaver.id, "agent");
    await addMember(t.app, ops.id, leaver.id, "admin");
    await asUser(t.app, leaver, "rm-org").members.leave();
    expect(await t.owner.db.select().from(memberships).where(eq(memberships.userId, leaver.id))).toEqual([]);

    // A refused removal (the last owner) leaves every membership in place.
    const solo = await createUser(t.app, "Solo");
    const soloOrg = await createTenantFixture(t.app, { slug: "rm-solo", members: [[solo.id, "owner"]] });
    await createTenantFixture(t.app, { slug: "rm-solo-dept", parentId: soloOrg.id, members: [[solo.id, "owner"]] });
    expect(await codeOf(asUser(t.app, solo, "rm-solo").members.leave())).toBe("PRECONDITION_FAILED");
    expect(await t.owner.db.select().from(memberships).where(eq(memberships.userId, solo.id))).toHaveLength(2);
  });

  it("removal withdraws the invitations to the removed person in the organisation and its departments: none can be accepted afterwards", async () => {
    const owner = await createUser(t.app, "InvOwner");
    const rogue = await createUser(t.app, "Rogue");
    const org = await createTenantFixture(t.app, { slug: "rmi-org", members: [[owner.id, "owner"], [rogue.id, "admin"]] });
    const dept = await createTenantFixture(t.app, { slug: "rmi-dept", parentId: org.id });
    const r = asUser(t.app, rogue, "rmi-dept");
    // About to be removed, the admin invites their own address to a department (acting there through the organisation).
    const self = await r.members.add({ email: rogue.email, role: "admin" });
    const token = await mailedInvitationToken(t.owner, rogue.email);
    const other = await asUser(t.app, owner, "rmi-org").members.add({ email: "keeps@rmi.test", role: "viewer" });

    await asUser(t.app, owner, "rmi-org").members.remove({ email: rogue.email });
    expect((await asUser(t.app, rogue).invitations.mine({})).items).toEqual([]);
    expect(await codeOf(asUser(t.app, rogue).invitations.accept({ id: self.invitation.id }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(asUser(t.app, rogue).invitations.accept({ token }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(asUser(t.app, rogue, "rmi-dept").tenant.current())).toBe("FORBIDDEN");
    expect(await t.owner.db.select().from(memberships).where(eq(memberships.tenantId, dept.id))).toEqual([]);
    // Invitations to other people stay pending.
    const [kept] = await t.owner.db.select().from(invitations).where(eq(invitations.id, other.invitation.id));
    expect(kept!.revokedAt).toBeNull();

    // Leaving withdraws them the same way.
    const leaver = await createUser(t.app, "InvLeaver");
    await addMember(t.app, org.id, leaver.id, "admin");
    const own = await asUser(t.app, leaver, "rmi-dept").members.add({ email: leaver.email, role: "admin" });
    await asUser(t.app, leaver, "rmi-org").members.leave();
    expect(await codeOf(asUser(t.app, leaver).invitations.accept({ id: own.invitation.id }))).toBe("PRECONDITION_FAILED");
  });

  it("invitation mails are rate limited: 3 an hour to one address, and a tenant's hourly total (TOO_MANY_REQUESTS with a retry-after)", async () => {
    const owner = await createUser(t.app, "Mailer");
    const org = await createTenantFixture(t.app, { slug: "inv-rate", maxUsers: 5, members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, "inv-rate");
    for (let i = 0; i < 3; i++) expect((await o.members.add({ email: "target@inv-rate.test", role: "viewer" })).status).toBe("invited");
    const refused = await o.members.add({ email: "target@inv-rate.test", role: "viewer" }).catch((e: unknown) => e);
    expect(await codeOf(Promise.reject(refused))).toBe("TOO_MANY_REQUESTS");
    const seconds = retryAfterOf(refused)!;
    expect(seconds).toBeGreaterThan(3500);
    expect(seconds).toBeLessThanOrEqual(3600);
    const mails = await t.owner.db.select().from(emailOutbox).where(eq(emailOutbox.to, "target@inv-rate.test"));
    expect(mails).toHaveLength(3);
    // Another address is still invited.
    expect((await o.members.add({ email: "other@inv-rate.test", role: "viewer" })).status).toBe("invited");

    // Revoking and inviting new addresses (seats free again) stops at the tenant's hourly total.
    await t.owner.db.insert(invitations).values(
      Array.from({ length: invitationsPerTenantPerHour }, (_, i) => ({
        tenantId: org.id,
        email: `churn-${i}@inv-rate.test`,
        role: "viewer" as const,
        tokenHash: `churn-${i}`,
        invitedBy: owner.id,
        expiresAt: new Date(Date.now() + 3600_000),
        revokedAt: new Date(),
      })),
    );
    expect(await codeOf(o.members.add({ email: "fresh@inv-rate.test", role: "viewer" }))).toBe("TOO_MANY_REQUESTS");
    expect(await t.owner.db.select().from(emailOutbox).where(eq(emailOutbox.to, "fresh@inv-rate.test"))).toHaveLength(0);
  });

  it("API keys cannot manage members (FORBIDDEN, audited as denied), but may read them", async () => {
    const owner = await createUser(t.app, "KeyOwner");
    const other = await createUser(t.app, "KeyOther");
    const tenant = await createTenantFixture(t.app, { slug: "key-members", members: [[owner.id, "owner"], [other.id, "agent"]] });
    const { key } = await createKeyFixture(t.app, tenant.id, "admin");
    const k = asKey(t.app, key);
    expect(await codeOf(k.members.add({ email: "via-key@key.test", role: "agent" }))).toBe("FORBIDDEN");
    expect(await codeOf(k.members.updateRole({ userId: other.id, role: "viewer" }))).toBe("FORBIDDEN");
    expect(await codeOf(k.members.remove({ email: other.email }))).toBe("FORBIDDEN");
    expect(await codeOf(k.members.leave())).toBe("FORBIDDEN");
    expect((await k.members.list()).items).toHaveLength(2);
    const denied = await t.owner.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.result, "denied")));
    expect(denied.map((d) => d.action).sort()).toEqual(["members.add", "members.leave", "members.remove", "members.updateRole"]);
    expect(await t.owner.db.select().from(invitations).where(eq(invitations.tenantId, tenant.id))).toEqual([]);
  });

  it("parent members act in departments with their role; department members reach neither parent nor siblings", async () => {
    const parentAdmin = await createUser(t.app, "ParentAdmin");
    const deptAgent = await createUser(t.app, "DeptAgent");
    const parent = await createTenantFixture(t.app, { slug: "org-root", members: [[parentAdmin.id, "admin"]] });
    const sales = await createTenantFixture(t.app, { slug: "org-sales", parentId: parent.id, members: [[deptAgent.id, "agent"]] });
    await createTenantFixture(t.app, { slug: "org-support", parentId: parent.id });
    // Down: the parent's admin manages the department's members.
    const added = await asUser(t.app, parentAdmin, "org-sales").members.add({ email: "x@org.test", role: "viewer" });
    expect(added.status).toBe("invited");
    expect((await asUser(t.app, parentAdmin, "org-root").tenant.children()).items.map((c) => c.slug)).toEqual([
      "org-sales",
      "org-support",
    ]);
    // Not up, not sideways.
    expect(await codeOf(asUser(t.app, deptAgent, "org-root").members.list())).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, deptAgent, "org-support").tenant.current())).toBe("FORBIDDEN");
    // And with the agent role only, in its own department.
    expect(await codeOf(asUser(t.app, deptAgent, "org-sales").members.add({ email: "y@org.test", role: "viewer" }))).toBe("FORBIDDEN");
    expect(sales.parentId).toBe(parent.id);
  });
});

describe("members.list paging", () => {
  it("pages through every member exactly once, also when several joined within the same millisecond", async () => {
    const owner = await createUser(t.app, "PageOwner");
    const others = await Promise.all([0, 1, 2, 3, 4].map((i) => createUser(t.app, `Pager${i}`)));
    const tenant = await createTenantFixture(t.app, { slug: "member-pages", members: [[owner.id, "owner"]] });
    // One statement: every membership gets the same transaction timestamp (microseconds included).
    await t.owner.db.insert(memberships).values(others.map((u) => ({ tenantId: tenant.id, userId: u.id, role: "agent" as const })));
    const { items, pages } = await allPages((cursor) => asUser(t.app, owner, tenant.slug).members.list({ limit: 2, cursor }));
    expect(items.map((m) => m.userId).sort()).toEqual([owner.id, ...others.map((u) => u.id)].sort());
    expect(pages).toBe(3);
  });
});
