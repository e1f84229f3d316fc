import { and, desc, eq, lt, or, sql } from "drizzle-orm";
import { type AuthUser, hashToken } from "@switchboard/auth";
import {
  type DbHandle,
  enterTenant,
  type Invitation,
  invitations,
  memberships,
  type Role,
  tenants,
  type Tx,
  withScope,
} from "@switchboard/db";
import { decodeTimeCursor, encodeTimeCursor, page } from "../../lib/cursor";
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

export async function listInvitations(tx: Tx, tenantId: string, input: { limit: number; cursor?: string | undefined }) {
  const c = input.cursor ? decodeTimeCursor(input.cursor) : null;
  const rows = await tx
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        c
          ? or(lt(invitations.createdAt, c.at), and(eq(invitations.createdAt, c.at), sql`${invitations.id} < ${c.id}::uuid`))
          : undefined,
      ),
    )
    .orderBy(desc(invitations.createdAt), desc(invitations.id))
    .limit(input.limit + 1);
  const { items, nextCursor } = page(rows, input.limit, (i) => encodeTimeCursor(i.createdAt, i.id));
  return { items: items.map(invitationView), nextCursor };
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

/**
 * Accepts an invitation for the signed-in user, whose email must be the invited one. The invitation is found by
 * its token's hash alone (the only scope before its tenant is known), then everything happens inside its tenant,
 * audit entry included.
 */
export async function acceptInvitation(
  db: DbHandle,
  user: AuthUser,
  token: string,
  request: { ip: string | null; userAgent: string | null },
) {
  const tokenHash = hashToken(token);
  return withScope(db, { userId: user.id, invitationTokenHash: tokenHash }, async (tx) => {
    const [found] = await tx.select().from(invitations).where(eq(invitations.tokenHash, tokenHash)).limit(1);
    if (!found) throw notFound("Invitation");
    const status = invitationStatus(found);
    if (status !== "pending") throw preconditionFailed(`This invitation is ${status}`);
    if (found.email !== user.email) throw forbidden("This invitation was sent to another email address");
    await enterTenant(tx, { id: found.tenantId, parentId: null });
    const [tenant] = await tx.select().from(tenants).where(eq(tenants.id, found.tenantId));
    if (!tenant || tenant.status !== "active") throw forbidden("This tenant is not active");
    const [invitation] = await tx
      .update(invitations)
      .set({ acceptedAt: sql`now()`, acceptedBy: user.id })
      .where(and(eq(invitations.tenantId, found.tenantId), eq(invitations.id, found.id), sql`${invitations.acceptedAt} is null`))
      .returning();
    if (!invitation) throw preconditionFailed("This invitation is accepted");
    // Someone who became a member meanwhile keeps their role.
    await tx
      .insert(memberships)
      .values({ tenantId: tenant.id, userId: user.id, role: found.role })
      .onConflictDoNothing();
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
