import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, invitations, memberships, tenants, users } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import {
  allPages,
  asKey,
  asUser,
  callerFor,
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

/** A registered user whose address is `email` (verified unless asked otherwise). */
async function userWithEmail(name: string, email: string, opts: { verified?: boolean } = {}) {
  const user = await createUser(t.app, name, opts);
  await t.owner.db.execute(sql`update users set email = ${email} where id = ${user.id}`);
  return { ...user, email };
}

async function verifiedAt(userId: string) {
  const [row] = await t.owner.db.select({ at: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  return row!.at;
}

describe("invitations", () => {
  it("accept by token: only for the invited address, which then counts as verified; used, revoked and expired links are refused", async () => {
    const owner = await createUser(t.app, "Inviter");
    const tenant = await createTenantFixture(t.app, { slug: "invite-co", members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, tenant.slug);
    // Invited before they had an account; they register (unverified) and follow the mailed link.
    const res = await o.members.add({ email: "later@invite.test", role: "agent" });
    const token = await mailedInvitationToken(t.owner, "later@invite.test");
    const later = await userWithEmail("Later", "later@invite.test", { verified: false });
    const stranger = await createUser(t.app, "Stranger");
    expect(await codeOf(asUser(t.app, stranger).invitations.accept({ token }))).toBe("FORBIDDEN");
    expect(await codeOf(asUser(t.app, stranger).invitations.accept({ token: "not-a-token" }))).toBe("NOT_FOUND");
    expect(await verifiedAt(later.id)).toBeNull();
    expect(await asUser(t.app, later).invitations.accept({ token })).toEqual({ tenant: { id: tenant.id, slug: "invite-co" } });
    expect(await verifiedAt(later.id)).not.toBeNull();
    expect((await asUser(t.app, later, "invite-co").members.list()).items.find((m) => m.userId === later.id)?.role).toBe("agent");
    expect(await codeOf(asUser(t.app, later).invitations.accept({ token }))).toBe("PRECONDITION_FAILED");
    const [row] = await t.owner.db.select().from(tenants).where(eq(tenants.id, tenant.id));
    expect(row!.memberCount).toBe(2);
    const audit = await t.owner.db.select().from(auditLog).where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.action, "invitations.accept")));
    expect(audit.map((a) => [a.actorId, a.resourceId, a.result])).toEqual([[later.id, res.invitation.id, "success"]]);

    const revokedFor = await userWithEmail("Revoked", "revoked@invite.test");
    const revoked = await o.members.add({ email: revokedFor.email, role: "agent" });
    const revokedToken = await mailedInvitationToken(t.owner, revokedFor.email);
    await o.invitations.revoke({ id: revoked.invitation.id });
    expect(await codeOf(asUser(t.app, revokedFor).invitations.accept({ token: revokedToken }))).toBe("PRECONDITION_FAILED");

    const expiredFor = await userWithEmail("Expired", "expired@invite.test");
    const expiring = await o.members.add({ email: expiredFor.email, role: "agent" });
    const expiredToken = await mailedInvitationToken(t.owner, expiredFor.email);
    await t.owner.db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, expiring.invitation.id));
    expect(await codeOf(asUser(t.app, expiredFor).invitations.accept({ token: expiredToken }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(asUser(t.app, expiredFor).invitations.accept({ token: expiredToken, id: expiring.invitation.id } as never))).toBe(
      "BAD_REQUEST",
    );
  });

  it("invitations.mine and accept by id: for the addressee with a verified address only", async () => {
    const owner = await createUser(t.app, "Mine");
    const org = await createTenantFixture(t.app, { slug: "mine-org", name: "Mine Org", members: [[owner.id, "owner"]] });
    const dept = await createTenantFixture(t.app, { slug: "mine-dept", name: "Mine Dept", parentId: org.id });
    const closed = await createTenantFixture(t.app, { slug: "mine-closed", members: [[owner.id, "owner"]] });
    const invitee = await userWithEmail("Invitee", "invitee@mine.test", { verified: false });
    const a = await asUser(t.app, owner, "mine-org").members.add({ email: invitee.email, role: "viewer" });
    const b = await asUser(t.app, owner, "mine-dept").members.add({ email: invitee.email, role: "admin" });
    await asUser(t.app, owner, "mine-closed").members.add({ email: invitee.email, role: "agent" });
    await asUser(t.app, owner, "mine-org").members.add({ email: "someone-else@mine.test", role: "agent" });
    await t.owner.db.update(tenants).set({ status: "suspended" }).where(eq(tenants.id, closed.id));

    // Unverified: nothing listed, nothing accepted by id.
    expect(await codeOf(asUser(t.app, invitee).invitations.mine())).toBe("FORBIDDEN");
    await expect(asUser(t.app, invitee).invitations.mine()).rejects.toThrow("Verify your e-mail address first");
    expect(await codeOf(asUser(t.app, invitee).invitations.accept({ id: a.invitation.id }))).toBe("FORBIDDEN");

    await t.owner.db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, invitee.id));
    const mine = await asUser(t.app, invitee).invitations.mine();
    expect(mine.nextCursor).toBeNull();
    expect(mine.items).toEqual([
      { id: b.invitation.id, tenant: { id: dept.id, slug: "mine-dept", name: "Mine Dept" }, role: "admin", expiresAt: b.invitation.expiresAt },
      { id: a.invitation.id, tenant: { id: org.id, slug: "mine-org", name: "Mine Org" }, role: "viewer", expiresAt: a.invitation.expiresAt },
    ]);
    // Pages like every list (the suspended tenant's invitation is left out of its page).
    const paged = await allPages((cursor) => asUser(t.app, invitee).invitations.mine({ limit: 1, cursor }));
    expect(paged.items.map((i) => i.id)).toEqual([b.invitation.id, a.invitation.id]);
    expect(paged.pages).toBe(3);

    // Someone else cannot accept it by id (it is not theirs: NOT_FOUND), nor can an unknown id be accepted.
    const other = await createUser(t.app, "Other");
    expect(await codeOf(asUser(t.app, other).invitations.accept({ id: a.invitation.id }))).toBe("NOT_FOUND");
    expect(await codeOf(asUser(t.app, invitee).invitations.accept({ id: crypto.randomUUID() }))).toBe("NOT_FOUND");
    expect(await asUser(t.app, invitee).invitations.accept({ id: a.invitation.id })).toEqual({ tenant: { id: org.id, slug: "mine-org" } });
    expect(await codeOf(asUser(t.app, invitee).invitations.accept({ id: a.invitation.id }))).toBe("PRECONDITION_FAILED");
    expect((await asUser(t.app, invitee).invitations.mine()).items.map((i) => i.id)).toEqual([b.invitation.id]);
    // Accepting the department's invitation gives the department's role there.
    await asUser(t.app, invitee).invitations.accept({ id: b.invitation.id });
    const roles = await t.owner.db.select().from(memberships).where(eq(memberships.userId, invitee.id));
    expect(roles.map((r) => [r.tenantId, r.role]).sort()).toEqual([[org.id, "viewer"], [dept.id, "admin"]].sort());
    expect((await asUser(t.app, invitee).invitations.mine()).items).toEqual([]);
    // Signed out: UNAUTHORIZED.
    expect(await codeOf(callerFor(t.app).invitations.mine())).toBe("UNAUTHORIZED");
    expect(await codeOf(callerFor(t.app).invitations.accept({ id: b.invitation.id }))).toBe("UNAUTHORIZED");
  });

  it("accepting respects maxUsers", async () => {
    const owner = await createUser(t.app, "Full");
    const tenant = await createTenantFixture(t.app, { slug: "full-co", maxUsers: 2, members: [[owner.id, "owner"]] });
    const first = await userWithEmail("First", "first@full.test");
    const second = await userWithEmail("Second", "second@full.test");
    const inv = await asUser(t.app, owner, "full-co").members.add({ email: first.email, role: "agent" });
    // The platform lowered the seats meanwhile (members + this invitation no longer fit).
    await t.owner.db.update(tenants).set({ maxUsers: 1 }).where(eq(tenants.id, tenant.id));
    expect(await codeOf(asUser(t.app, first).invitations.accept({ id: inv.invitation.id }))).toBe("PRECONDITION_FAILED");
    await t.owner.db.update(tenants).set({ maxUsers: 2 }).where(eq(tenants.id, tenant.id));
    expect(await codeOf(asUser(t.app, first).invitations.accept({ id: inv.invitation.id }))).toBe("OK");
    expect(await codeOf(asUser(t.app, owner, "full-co").members.add({ email: second.email, role: "agent" }))).toBe("PRECONDITION_FAILED");
  });

  it("a revoke racing an accept: exactly one wins, the other is PRECONDITION_FAILED (row locked), on real PostgreSQL", async () => {
    const owner = await createUser(t.app, "Racer");
    await createTenantFixture(t.app, { slug: "race-co", members: [[owner.id, "owner"]] });
    const o = asUser(t.app, owner, "race-co");
    for (let round = 0; round < 8; round++) {
      const invitee = await userWithEmail(`Racee${round}`, `racee-${round}@race.test`);
      const inv = await o.members.add({ email: invitee.email, role: "agent" });
      const token = await mailedInvitationToken(t.owner, invitee.email);
      const accept = round % 2 ? asUser(t.app, invitee).invitations.accept({ token }) : asUser(t.app, invitee).invitations.accept({ id: inv.invitation.id });
      const [accepted, revoked] = await Promise.all([codeOf(accept), codeOf(o.invitations.revoke({ id: inv.invitation.id }))]);
      expect([accepted, revoked].sort(), `round ${round}`).toEqual(["OK", "PRECONDITION_FAILED"]);
      const [row] = await t.owner.db.select().from(invitations).where(eq(invitations.id, inv.invitation.id));
      const [member] = await t.owner.db.select().from(memberships).where(eq(memberships.userId, invitee.id));
      // Never both: a revoked invitation never leaves a member behind, an accepted one is never revoked.
      if (accepted === "OK") expect([row!.acceptedAt !== null, row!.revokedAt, member?.role]).toEqual([true, null, "agent"]);
      else expect([row!.acceptedAt, row!.revokedAt !== null, member]).toEqual([null, true, undefined]);
    }
  });

  it("an accept that arrives while a revoke holds the invitation waits for it and is then PRECONDITION_FAILED", async () => {
    const owner = await createUser(t.app, "Holder");
    await createTenantFixture(t.app, { slug: "hold-co", members: [[owner.id, "owner"]] });
    const invitee = await userWithEmail("Held", "held@hold.test");
    const inv = await asUser(t.app, owner, "hold-co").members.add({ email: invitee.email, role: "agent" });
    let accept: Promise<string> | null = null;
    await t.owner.db.transaction(async (tx) => {
      // What invitations.revoke does: lock the row, then mark it revoked; the accept starts in between.
      await tx.select().from(invitations).where(eq(invitations.id, inv.invitation.id)).for("update");
      accept = codeOf(asUser(t.app, invitee).invitations.accept({ id: inv.invitation.id }));
      await new Promise((r) => setTimeout(r, 300));
      await tx.update(invitations).set({ revokedAt: new Date() }).where(eq(invitations.id, inv.invitation.id));
    });
    expect(await accept!).toBe("PRECONDITION_FAILED");
    expect(await t.owner.db.select().from(memberships).where(eq(memberships.userId, invitee.id))).toEqual([]);
  });

  it("API keys cannot revoke invitations", async () => {
    const owner = await createUser(t.app, "KeyInv");
    const tenant = await createTenantFixture(t.app, { slug: "key-inv", members: [[owner.id, "owner"]] });
    const inv = await asUser(t.app, owner, "key-inv").members.add({ email: "k@key-inv.test", role: "agent" });
    const { key } = await createKeyFixture(t.app, tenant.id, "admin");
    expect(await codeOf(asKey(t.app, key).invitations.revoke({ id: inv.invitation.id }))).toBe("FORBIDDEN");
    expect((await asKey(t.app, key).invitations.list()).items.map((i) => i.status)).toEqual(["pending"]);
  });
});
