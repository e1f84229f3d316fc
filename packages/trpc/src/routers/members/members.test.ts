import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailOutbox, invitations, tenants } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { asUser, codeOf, createTenantFixture, createUser } from "../../testing";

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

  it("adds existing users, invites unknown emails, and counts pending invitations against maxUsers", async () => {
    const owner = await createUser(t.app, "Seats");
    const known = await createUser(t.app, "Known");
    const tenant = await createTenantFixture(t.app, { slug: "seats-co", maxUsers: 3, members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, tenant.slug);
    const added = await o.members.add({ email: known.email, role: "agent" });
    expect(added).toMatchObject({ status: "added", member: { userId: known.id, role: "agent" } });
    expect(await codeOf(o.members.add({ email: known.email, role: "agent" }))).toBe("CONFLICT");
    const invited = await o.members.add({ email: "New.Person@Seats.test", role: "viewer" });
    expect(invited.status).toBe("invited");
    expect(invited.invitation).toMatchObject({ email: "new.person@seats.test", role: "viewer", status: "pending" });
    expect(invited.invitation!.link).toMatch(/^http:\/\/seats-co\.localhost:3000\/invitations\/accept\?token=[\w-]{43}$/);
    // Seven days, token stored only as a hash, mail queued in the same transaction.
    const [row] = await t.owner.db.select().from(invitations).where(eq(invitations.id, invited.invitation!.id));
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(row!.tokenHash).not.toContain(new URL(invited.invitation!.link).searchParams.get("token"));
    const mail = await t.owner.db.select().from(emailOutbox).where(eq(emailOutbox.tenantId, tenant.id));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.body).toContain(invited.invitation!.link);
    // 2 members + 1 pending invitation = 3 seats: full. Re-inviting the same email replaces, so it still fits.
    expect(await codeOf(o.members.add({ email: "fourth@seats.test", role: "viewer" }))).toBe("PRECONDITION_FAILED");
    expect((await o.members.add({ email: "new.person@seats.test", role: "agent" })).status).toBe("invited");
    const list = await o.invitations.list();
    expect(list.items.map((i) => i.status).sort()).toEqual(["pending", "revoked"]);
    // Revoking frees the seat.
    await o.invitations.revoke({ id: list.items.find((i) => i.status === "pending")!.id });
    expect((await o.members.add({ email: "fourth@seats.test", role: "viewer" })).status).toBe("invited");
  });

  it("invitations: accepted once, by the invited email only; revoked and expired ones are refused", async () => {
    const owner = await createUser(t.app, "Inviter");
    const tenant = await createTenantFixture(t.app, { slug: "invite-co", members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, tenant.slug);
    const invitee = await createUser(t.app, "Invitee");
    const stranger = await createUser(t.app, "Stranger");
    // The invitee registered after being invited (they had no account): invite by a fresh email, then match it.
    const res = await o.members.add({ email: "later@invite.test", role: "agent" });
    const token = new URL(res.invitation!.link).searchParams.get("token")!;
    const laterUser = await createUser(t.app, "Later");
    await t.owner.db.execute(sql`update users set email = 'later@invite.test' where id = ${laterUser.id}`);
    const later = { ...laterUser, email: "later@invite.test" };
    expect(await codeOf(asUser(t.app, stranger).invitations.accept({ token }))).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, stranger).invitations.accept({ token: "not-a-token" }))).toBe("NOT_FOUND");
    expect(await asUser(t.app, later).invitations.accept({ token })).toEqual({ tenant: { id: tenant.id, slug: "invite-co" } });
    expect((await asUser(t.app, later, "invite-co").tenant.current()).slug).toBe("invite-co");
    expect(await codeOf(asUser(t.app, later).invitations.accept({ token }))).toBe("PRECONDITION_FAILED");
    const [t1] = await t.owner.db.select().from(tenants).where(eq(tenants.id, tenant.id));
    expect(t1!.memberCount).toBe(2);

    const revoked = await o.members.add({ email: invitee.email.replace("@", "+r@"), role: "agent" });
    await o.invitations.revoke({ id: revoked.invitation!.id });
    expect(
      await codeOf(asUser(t.app, invitee).invitations.accept({ token: new URL(revoked.invitation!.link).searchParams.get("token")! })),
    ).toBe("PRECONDITION_FAILED");

    const expiring = await o.members.add({ email: "expired@invite.test", role: "agent" });
    await t.owner.db
      .update(invitations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(and(eq(invitations.tenantId, tenant.id), eq(invitations.id, expiring.invitation!.id)));
    const expToken = new URL(expiring.invitation!.link).searchParams.get("token")!;
    await t.owner.db.execute(sql`update users set email = 'expired@invite.test' where id = ${invitee.id}`);
    expect(await codeOf(asUser(t.app, { ...invitee, email: "expired@invite.test" }).invitations.accept({ token: expToken }))).toBe(
      "PRECONDITION_FAILED",
    );
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
