import { and, eq, inArray } from "drizzle-orm";
import { dummyPasswordHash, hashPassword, verifyPassword } from "@switchboard/auth";
import { type Database, memberships, tenants, type Tx, type User, users } from "@switchboard/db";
import { badRequest, conflict, DomainError, isUniqueViolation } from "../../errors";
import { sendVerification } from "./account-mail.service";
import { throttledAttempt } from "./login-throttle";
import { endMfaChallenges } from "./mfa.service";
import { recordSecurityEvent, type Where } from "./security-log.service";

export interface PublicUser {
  id: string;
  email: string;
  name: string;
}

/** Creates the account (address not yet verified) and mails the verification link, in the caller's transaction. */
export async function registerUser(
  tx: Tx,
  input: { email: string; password: string; name: string },
  passwordHash: string,
  verifyLinkBase: string,
): Promise<PublicUser & { emailVerified: false }> {
  let user: PublicUser;
  try {
    [user] = (await tx
      .insert(users)
      .values({ email: input.email, name: input.name, passwordHash })
      .returning({ id: users.id, email: users.email, name: users.name })) as [PublicUser];
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("An account with this email already exists");
    throw err;
  }
  await sendVerification(tx, user, verifyLinkBase);
  return { ...user, emailVerified: false };
}

const invalidCredentials = () => new DomainError("UNAUTHORIZED", "Invalid email or password");

/**
 * Same answer, and about the same time, for an unknown email and a wrong password. Throttled per account and IP
 * (see login-throttle.ts): past the limits the answer is TOO_MANY_REQUESTS without checking the password. A wrong
 * password for an existing account is logged in its security log. A listed PLATFORM_ADMIN_EMAILS address with a
 * verified address becomes a platform admin here (the list may have changed since it was verified).
 */
export async function checkCredentials(
  db: Database,
  input: { email: string; password: string },
  where: Where,
  platformAdminEmails: ReadonlySet<string>,
): Promise<User> {
  let user: User | undefined;
  const ok = await throttledAttempt(db, input.email, where.ip, async () => {
    [user] = await db.select().from(users).where(eq(users.email, input.email));
    const ok = (await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password)) && Boolean(user);
    return ok && user!.mfaEnabledAt ? "first-factor" : ok;
  });
  if (!user || !ok) {
    if (user) await recordSecurityEvent(db, user.id, "sign_in_failed", where);
    throw invalidCredentials();
  }
  if (!user.isPlatformAdmin && user.emailVerifiedAt && platformAdminEmails.has(user.email)) {
    await db.update(users).set({ isPlatformAdmin: true, updatedAt: new Date() }).where(eq(users.id, user.id));
    user.isPlatformAdmin = true;
  }
  return user;
}

/** The session-facing view of a user row. */
export const authUserOf = (u: User) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  isPlatformAdmin: u.isPlatformAdmin,
  emailVerified: u.emailVerifiedAt !== null,
  mfaEnabled: u.mfaEnabledAt !== null,
});

/** Guessing the current password through this form is throttled like sign-in. */
export async function changePassword(
  db: Database,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  where: Where,
): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new DomainError("UNAUTHORIZED", "Sign in first");
  const ok = await throttledAttempt(db, user.email, where.ip, () => verifyPassword(user.passwordHash, input.currentPassword));
  if (!ok) throw new DomainError("UNAUTHORIZED", "The current password is wrong");
  if (input.newPassword === input.currentPassword) throw badRequest("Choose a password different from the current one");
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId));
    await endMfaChallenges(tx, userId);
    await recordSecurityEvent(tx, userId, "password_changed", where);
  });
}

/** The caller's direct memberships (scope: the caller as user, no tenant). */
export async function myMemberships(tx: Tx, userId: string) {
  const rows = await tx
    .select({
      tenant: { id: tenants.id, slug: tenants.slug, name: tenants.name, parentId: tenants.parentId },
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, userId), inArray(tenants.status, ["active", "suspended"])))
    .orderBy(tenants.name);
  return rows;
}
