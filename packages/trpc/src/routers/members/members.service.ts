import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import { hashToken, randomToken } from "@switchboard/auth";
import { emailOutbox, invitations, memberships, type Role, type Tenant, tenants, type Tx, users } from "@switchboard/db";
import { decodeTimeCursor, encodeTimeCursor, page } from "../../lib/cursor";
import { conflict, forbidden, notFound, preconditionFailed } from "../../errors";
import { invitationView } from "../invitations/invitations.service";
import { openInvitationCount } from "../tenant/tenant.service";

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

/** Direct members of the tenant, oldest first. */
export async function listMembers(tx: Tx, tenantId: string, input: { limit: number; cursor?: string | undefined }) {
  const c = input.cursor ? decodeTimeCursor(input.cursor) : null;
  const rows = await tx
    .select(memberColumns)
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.tenantId, tenantId),
        c
          ? or(gt(memberships.createdAt, c.at), and(eq(memberships.createdAt, c.at), sql`${memberships.userId} > ${c.id}::uuid`))
          : undefined,
      ),
    )
    .orderBy(asc(memberships.createdAt), asc(memberships.userId))
    .limit(input.limit + 1);
  const { items, nextCursor } = page(rows, input.limit, (m) => encodeTimeCursor(m.joinedAt, m.userId));
  return { items: items.map(memberView), nextCursor };
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
  invitedBy: string | null;
  /** The dashboard URL that accepts an invitation token. */
  acceptUrl: (token: string) => string;
}

/** Adds an existing user, or invites an unknown email. Seats: members plus open invitations, up to maxUsers. */
export async function addMember(tx: Tx, tenant: Tenant, input: { email: string; role: Role }, opts: AddMemberOptions) {
  if (input.role === "owner" && opts.callerRole !== "owner") throw ownerOnly();
  // Serialises concurrent adds to one tenant so the seat check holds.
  const [locked] = await tx.select().from(tenants).where(eq(tenants.id, tenant.id)).for("update");
  const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (user && (await findMember(tx, tenant.id, { userId: user.id }))) throw conflict("This person is already a member");
  const seats = locked!.memberCount + (await openInvitationCount(tx, tenant.id, input.email));
  if (seats >= locked!.maxUsers) {
    throw preconditionFailed(`This tenant has no free seats (${locked!.maxUsers} members and pending invitations)`);
  }
  // A new invitation or membership replaces any open invitation for the same email.
  await tx
    .update(invitations)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(invitations.tenantId, tenant.id), eq(invitations.email, input.email), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)));

  if (user) {
    await tx.insert(memberships).values({ tenantId: tenant.id, userId: user.id, role: input.role });
    const member = await findMember(tx, tenant.id, { userId: user.id });
    return { status: "added" as const, member: memberView(member!) };
  }

  const token = randomToken(32);
  const [invitation] = await tx
    .insert(invitations)
    .values({
      tenantId: tenant.id,
      email: input.email,
      role: input.role,
      tokenHash: hashToken(token),
      invitedBy: opts.invitedBy,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    })
    .returning();
  const link = opts.acceptUrl(token);
  await tx.insert(emailOutbox).values({
    tenantId: tenant.id,
    kind: "invitation",
    to: input.email,
    subject: `You are invited to ${tenant.name} on Switchboard`,
    body: `You have been invited to join ${tenant.name} as ${input.role}.\n\nAccept within 7 days: ${link}\n`,
  });
  return { status: "invited" as const, invitation: { ...invitationView(invitation!), link } };
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

async function deleteMember(tx: Tx, tenantId: string, member: MemberRow) {
  if (member.role === "owner" && (await ownerCount(tx, tenantId)) <= 1) {
    throw preconditionFailed("The last owner cannot leave or be removed: make someone else owner first");
  }
  await tx.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, member.userId)));
}

export async function removeMember(tx: Tx, tenantId: string, input: { email: string }, callerRole: Role) {
  const member = await findMember(tx, tenantId, { email: input.email });
  if (!member) throw notFound("Member");
  if (member.role === "owner" && callerRole !== "owner") throw ownerOnly();
  await deleteMember(tx, tenantId, member);
  return member.userId;
}

/** The caller leaves the tenant (a membership inherited from the parent is left there, not here). */
export async function leaveTenant(tx: Tx, tenantId: string, userId: string) {
  const member = await findMember(tx, tenantId, { userId });
  if (!member) throw notFound("Membership");
  await deleteMember(tx, tenantId, member);
}
