import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { type AuthUser, hashToken } from "@switchboard/auth";
import {
  type DbHandle,
  setScope,
  tenantScope,
  type Invitation,
  invitations,
  memberships,
  type Role,
  type Tenant,
  tenants,
  type Tx,
  users,
  withScope,
} from "@switchboard/db";
import { afterCursor, newestFirst, orderOf, toPage } from "../../lib/cursor";
import { forbidden, notFound, preconditionFailed } from "../../errors";
import { recordAudit } from "../audit/audit.service";

export function invitationStatus(i: Invitation): "pending" | "accepted" | "revoked" | "expired" {
  if (i.acceptedAt) return "accepted";
  if (i.revokedAt) return "revoked";
  return i.expiresAt.getTime() <= Date.now() ? "expired" : "pending";
}

export function invitationView(i: Invitation) {
  return {
    id: i.id,
    email: i.email,
    role: i.role,
    status: invitationStatus(i),
    invitedBy: i.invitedBy,
    createdAt: i.createdAt.toISOString(),
    expiresAt: i.expiresAt.toISOString(),
    acceptedAt: i.acceptedAt?.toISOString() ?? null,
    revokedAt: i.revokedAt?.toISOString() ?? null,
  };
}

const invitationOrder = newestFirst(invitations.createdAt, invitations.id, (i: Invitation) => [i.createdAt, i.id]);

export async function listInvitations(tx: Tx, tenantId: string, input: { limit: number; cursor?: string | undefined }) {
  const rows = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), afterCursor(input.cursor, invitationOrder)))
    .orderBy(...orderOf(invitationOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, invitationOrder, invitationView);
}

export async function revokeInvitation(tx: Tx, tenantId: string, input: { id: string }, callerRole: Role) {
  const [row] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, input.id)))
    .for("update");
  if (!row) throw notFound("Invitation");
  if (row.role === "owner" && callerRole !== "owner") throw forbidden("Only owners can withdraw an owner invitation");
  if (row.acceptedAt) throw preconditionFailed("This invitation has already been accepted");
  if (row.revokedAt) return invitationView(row);
  const [revoked] = await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, input.id)))
    .returning();
  return invitationView(revoked!);
}

/** The account's address and whether it is proven, read fresh (a session may be seconds old). */
async function accountOf(tx: Tx, userId: string) {
  const [row] = await tx.select({ email: users.email, verifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, userId));
  if (!row) throw notFound("Account");
  return row;
}

const verifyFirst = () => forbidden("Verify your e-mail address first");

/**
 * Moves the open transaction into `tenantId`'s scope (the caller is not a member yet) and reads the tenant; null
 * when it, or its organisation, is not active.
 */
async function enterInvitingTenant(tx: Tx, tenantId: string): Promise<Tenant | null> {
  await setScope(tx, tenantScope({ id: tenantId, parentId: null }));
  const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant || tenant.status !== "active") return null;
  if (tenant.parentId) {
    await setScope(tx, tenantScope(tenant));
    const [parent] = await tx.select({ status: tenants.status }).from(tenants).where(eq(tenants.id, tenant.parentId));
    if (parent?.status !== "active") return null;
  }
  return tenant;
}

/**
 * Pending invitations addressed to the caller's address, in any tenant (newest first). Only a verified address
 * sees them: the policy "an invitee with a verified address reads invitations addressed to it" finds them, then
 * each inviting tenant's name is read inside that tenant's scope.
 */
export async function listMyInvitations(db: DbHandle, userId: string, input: { limit: number; cursor?: string | undefined }) {
  return withScope(db, { userId }, async (tx) => {
    const me = await accountOf(tx, userId);
    if (!me.verifiedAt) throw verifyFirst();
    const rows = await tx
      .select()
      .from(invitations)
      .where(
        and(
          eq(invitations.email, me.email),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          gt(invitations.expiresAt, sql`now()`),
          afterCursor(input.cursor, invitationOrder),
        ),
      )
      .orderBy(...orderOf(invitationOrder))
      .limit(input.limit + 1);
    const { items, nextCursor } = toPage(rows, input.limit, invitationOrder, (i) => i);
    const inviting = new Map<string, Tenant | null>();
    for (const tenantId of new Set(items.map((i) => i.tenantId))) inviting.set(tenantId, await enterInvitingTenant(tx, tenantId));
    return {
      items: items.flatMap((i) => {
        const tenant = inviting.get(i.tenantId);
        if (!tenant) return [];
        return [{ id: i.id, tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name }, role: i.role, expiresAt: i.expiresAt.toISOString() }];
      }),
      nextCursor,
    };
  });
}

export type AcceptBy = { token: string } | { id: string };

/**
 * Accepts an invitation for the signed-in user. By token (the mailed link): only when the signed-in address is
 * the invited one, and then the address counts as verified (the link proved the mailbox). By id (from
 * invitations.mine): only for the addressee with a verified address. The invitation row is locked before its state
 * is checked, so a concurrent revoke or second accept either wins before (this one is PRECONDITION_FAILED) or
 * waits. Accepting takes a seat: at maxUsers it is PRECONDITION_FAILED. Audited in the tenant.
 */
export async function acceptInvitation(db: DbHandle, user: AuthUser, by: AcceptBy, request: { ip: string | null; userAgent: string | null }) {
  const tokenHash = "token" in by ? hashToken(by.token) : null;
  return withScope(db, { userId: user.id, invitationTokenHash: tokenHash }, async (tx) => {
    const me = await accountOf(tx, user.id);
    let found: Invitation | undefined;
    if (tokenHash) {
      [found] = await tx.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).limit(1);
      if (!found) throw notFound("Invitation");
      if (found.email !== me.email) throw forbidden("This invitation was sent to another email address");
    } else {
      if (!me.verifiedAt) throw verifyFirst();
      [found] = await tx
        .select()
        .from(invitations)
        .where(and(eq(invitations.id, (by as { id: string }).id), eq(invitations.email, me.email)))
        .limit(1);
      if (!found) throw notFound("Invitation");
    }
    const tenant = await enterInvitingTenant(tx, found.tenantId);
    if (!tenant) throw forbidden("This tenant is not active");
    // Same locks in the same order as members.add (tenant, then invitation): seats and the invitation's state hold
    // to commit. NO KEY UPDATE on the tenant, so a revoke's audit entry (its foreign key share-locks the tenant) never
    // waits for us while we wait for its invitation row.
    const [seats] = await tx.select().from(tenants).where(eq(tenants.id, tenant.id)).for("no key update");
    const [invitation] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.tenantId, tenant.id), eq(invitations.id, found.id)))
      .for("update");
    const status = invitation ? invitationStatus(invitation) : "revoked";
    if (status !== "pending") throw preconditionFailed(`This invitation is ${status}`);
    const [already] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenant.id), eq(memberships.userId, user.id)));
    if (!already && seats!.memberCount >= seats!.maxUsers) {
      throw preconditionFailed(`This tenant has no free seats (${seats!.maxUsers} members)`);
    }
    await tx
      .update(invitations)
      .set({ acceptedAt: sql`now()`, acceptedBy: user.id })
      .where(and(eq(invitations.tenantId, tenant.id), eq(invitations.id, found.id)));
    // Someone who became a member meanwhile keeps their role.
    if (!already) await tx.insert(memberships).values({ tenantId: tenant.id, userId: user.id, role: found.role });
    if (tokenHash && !me.verifiedAt) {
      await tx.update(users).set({ emailVerifiedAt: sql`now()` }).where(and(eq(users.id, user.id), isNull(users.emailVerifiedAt)));
    }
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor: { type: "user", id: user.id, label: user.email },
      action: "invitations.accept",
      resourceType: "invitation",
      resourceId: found.id,
      ip: request.ip,
      userAgent: request.userAgent,
      result: "success",
    });
    return { tenant: { id: tenant.id, slug: tenant.slug } };
  });
}
