import { and, eq, isNull, sql } from "drizzle-orm";
import { hashToken, randomToken } from "@switchboard/auth";
import { setScope, tenantScope, invitations, memberships, type Role, type Tenant, tenants, type Tx, users } from "@switchboard/db";
import { afterCursor, oldestFirst, orderOf, toPage } from "../../lib/cursor";
import { queueEmail } from "../../lib/mail";
import { conflict, forbidden, notFound, preconditionFailed, tooManyRequests } from "../../errors";
import { openInvitationCount, tenantView } from "../tenant/tenant.service";

export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

const memberColumns = {
  userId: memberships.userId,
  email: users.email,
  name: users.name,
  role: memberships.role,
  joinedAt: memberships.createdAt,
};

type MemberRow = { userId: string; email: string; name: string; role: Role; joinedAt: Date };
const memberView = (m: MemberRow) => ({ ...m, joinedAt: m.joinedAt.toISOString() });

// The memberships policy also shows the caller's own memberships elsewhere: always filter by tenant.

const memberOrder = oldestFirst(memberships.createdAt, memberships.userId, (m: MemberRow) => [m.joinedAt, m.userId]);

/** Direct members of the tenant, oldest first. */
export async function listMembers(tx: Tx, tenantId: string, input: { limit: number; cursor?: string | undefined }) {
  const rows = await tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), afterCursor(input.cursor, memberOrder)))
    .orderBy(...orderOf(memberOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, memberOrder, memberView);
}

async function findMember(tx: Tx, tenantId: string, where: { userId?: string; email?: string }) {
  const [row] = await tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        where.userId ? eq(memberships.userId, where.userId) : eq(users.email, where.email!),
      ),
    )
    .for("update", { of: memberships });
  return row ?? null;
}

/** Locks the tenant's owner rows, so two concurrent demotions cannot both see "another owner is left". */
async function ownerCount(tx: Tx, tenantId: string): Promise<number> {
  const rows = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "owner")))
    .for("update");
  return rows.length;
}

const ownerOnly = () => forbidden("Only owners can grant or remove the owner role");

export interface AddMemberOptions {
  callerRole: Role;
  /** The inviting person (shown in the mail). */
  inviter: { id: string; name: string };
  /** The dashboard URL that accepts an invitation token (on the tenant's host). */
  acceptUrl: (token: string) => string;
}

/** Invitation mails per tenant and address per hour (re-inviting replaces the open invitation and mails again). */
export const invitationsPerAddressPerHour = 3;
/** Invitation mails per tenant per hour, at least (a tenant with more seats may invite as many as it has seats). */
export const invitationsPerTenantPerHour = 50;

/**
 * Every invitation is a mail from our servers to an address the inviter chose, with a tenant name the inviter chose:
 * re-inviting one address, or revoking and inviting new ones, must not turn that into a mail cannon. Past either
 * limit → TOO_MANY_REQUESTS, retry when the oldest counted invitation leaves the hour. (The tenant row is locked.)
 */
async function checkInvitationMailRate(tx: Tx, tenant: Tenant, email: string) {
  const lastHour = sql`${invitations.createdAt} > now() - interval '1 hour'`;
  const toAddress = sql`${invitations.email} = ${email}`;
  const [r] = await tx
    .select({
      address: sql<number>`count(*) filter (where ${toAddress})::int`,
      addressFreeIn: sql<number | null>`extract(epoch from min(${invitations.createdAt}) filter (where ${toAddress}) + interval '1 hour' - now())::float8`,
      tenant: sql<number>`count(*)::int`,
      tenantFreeIn: sql<number | null>`extract(epoch from min(${invitations.createdAt}) + interval '1 hour' - now())::float8`,
    })
    .from(invitations)
    .where(and(eq(invitations.tenantId, tenant.id), lastHour));
  if (r!.address >= invitationsPerAddressPerHour) {
    throw tooManyRequests("This address was invited several times in the last hour: try again later", r!.addressFreeIn ?? 60);
  }
  if (r!.tenant >= Math.max(invitationsPerTenantPerHour, tenant.maxUsers)) {
    throw tooManyRequests("This tenant sent many invitations in the last hour: try again later", r!.tenantFreeIn ?? 60);
  }
}

/**
 * Invites an address: the same answer whether or not it has an account, naming none, granting nothing (the person
 * accepts, see invitations.service). The token travels only in the mail. Seats: members plus pending invitations,
 * up to maxUsers. Re-inviting an address replaces its open invitation.
 */
export async function addMember(tx: Tx, tenant: Tenant, input: { email: string; role: Role }, opts: AddMemberOptions) {
  if (input.role === "owner" && opts.callerRole !== "owner") throw ownerOnly();
  // Serialises concurrent adds and accepts in one tenant so the seat check holds. NO KEY UPDATE: it must not block
  // the key-share locks that foreign keys take (an audit entry of a concurrent revoke), or the two would deadlock.
  const [locked] = await tx.select().from(tenants).where(eq(tenants.id, tenant.id)).for("no key update");
  if (await findMember(tx, tenant.id, { email: input.email })) throw conflict("This person is already a member");
  const seats = locked!.memberCount + (await openInvitationCount(tx, tenant.id, input.email));
  if (seats >= locked!.maxUsers) {
    throw preconditionFailed(`This tenant has no free seats (${locked!.maxUsers} members and pending invitations)`);
  }
  await checkInvitationMailRate(tx, locked!, input.email);
  await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invitations.tenantId, tenant.id), eq(invitations.email, input.email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
  const token = randomToken(32);
  const [invitation] = await tx
    .insert(invitations)
    .values({
      tenantId: tenant.id,
      email: input.email,
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: opts.inviter.id,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    })
    .returning();
  const view = await tenantView(tx, locked!);
  await queueEmail(tx, tenant.id, {
    template: "invitation",
    to: input.email,
    tenantName: view.name,
    role: input.role,
    inviterName: opts.inviter.name,
    link: opts.acceptUrl(token),
    expiresAt: invitation!.expiresAt,
    branding: view.branding,
  });
  const { id, email, role, expiresAt } = invitation!;
  return { status: "invited" as const, invitation: { id, email, role, expiresAt: expiresAt.toISOString() } };
}

export async function updateMemberRole(tx: Tx, tenantId: string, input: { userId: string; role: Role }, callerRole: Role) {
  const member = await findMember(tx, tenantId, { userId: input.userId });
  if (!member) throw notFound("Member");
  if ((input.role === "owner" || member.role === "owner") && callerRole !== "owner") throw ownerOnly();
  if (member.role === "owner" && input.role !== "owner" && (await ownerCount(tx, tenantId)) <= 1) {
    throw preconditionFailed("The last owner cannot be demoted: make someone else owner first");
  }
  await tx
    .update(memberships)
    .set({ role: input.role })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, input.userId)));
  return memberView({ ...member, role: input.role });
}

/** Ends a person's membership in one tenant (the transaction is in its scope) and withdraws the invitations to them there. */
async function endAccess(tx: Tx, tenantId: string, member: MemberRow) {
  await tx.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, member.userId)));
  await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.email, member.email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));
}

/**
 * Ends a person's membership here and, when this is an organisation, in every one of its departments, in the same
 * transaction (access to departments must not outlive access to the organisation; its owners keep acting there
 * through the organisation). Pending invitations addressed to the person there are withdrawn too: an admin about to
 * be removed could otherwise invite their own address and accept it afterwards. A department's rows are written
 * only inside that department's scope, so the scope moves to each department in turn and back to the organisation
 * before anything else runs.
 */
async function deleteMember(tx: Tx, tenant: Tenant, member: MemberRow) {
  if (member.role === "owner" && (await ownerCount(tx, tenant.id)) <= 1) {
    throw preconditionFailed("The last owner cannot leave or be removed: make someone else owner first");
  }
  await endAccess(tx, tenant.id, member);
  if (tenant.parentId) return;
  // Visible through "a tenant sees its departments"; archived ones too (they may be restored).
  const departments = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.parentId, tenant.id));
  if (departments.length === 0) return;
  for (const dept of departments) {
    await setScope(tx, tenantScope({ id: dept.id, parentId: tenant.id }));
    await endAccess(tx, dept.id, member);
  }
  await setScope(tx, tenantScope({ id: tenant.id, parentId: tenant.parentId }));
}

export async function removeMember(tx: Tx, tenant: Tenant, input: { email: string }, callerRole: Role) {
  const member = await findMember(tx, tenant.id, { email: input.email });
  if (!member) throw notFound("Member");
  if (member.role === "owner" && callerRole !== "owner") throw ownerOnly();
  await deleteMember(tx, tenant, member);
  return member.userId;
}

/** The caller leaves the tenant (a membership inherited from the parent is left there, not here). */
export async function leaveTenant(tx: Tx, tenant: Tenant, userId: string) {
  const member = await findMember(tx, tenant.id, { userId });
  if (!member) throw notFound("Membership");
  await deleteMember(tx, tenant, member);
}
