import { and, eq, inArray } from "drizzle-orm";
import { dummyPasswordHash, hashPassword, verifyPassword } from "@switchboard/auth";
import { type Executor, memberships, tenants, type Tx, users } from "@switchboard/db";
import { badRequest, conflict, DomainError, isUniqueViolation } from "../../errors";
import { assertLoginAllowed, recordLoginAttempt } from "./login-throttle";

export interface PublicUser {
  id: string;
  email: string;
  name: string;
}

export async function registerUser(
  db: Executor,
  input: { email: string; password: string; name: string },
): Promise<PublicUser> {
  const passwordHash = await hashPassword(input.password);
  try {
    const [user] = await db
      .insert(users)
      .values({ email: input.email, name: input.name, passwordHash })
      .returning({ id: users.id, email: users.email, name: users.name });
    return user!;
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("An account with this email already exists");
    throw err;
  }
}

const invalidCredentials = () => new DomainError("UNAUTHORIZED", "Invalid email or password");

/**
 * Same answer, and about the same time, for an unknown email and a wrong password. Throttled per account and IP
 * (see login-throttle.ts): past the limits the answer is TOO_MANY_REQUESTS without checking the password.
 */
export async function checkCredentials(
  db: Executor,
  input: { email: string; password: string },
  ip: string | null,
): Promise<PublicUser> {
  await assertLoginAllowed(db, input.email, ip);
  const [user] = await db.select().from(users).where(eq(users.email, input.email));
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  await recordLoginAttempt(db, input.email, ip, Boolean(user && ok));
  if (!user || !ok) throw invalidCredentials();
  return { id: user.id, email: user.email, name: user.name };
}

/** Guessing the current password through this form is throttled like sign-in. */
export async function changePassword(
  db: Executor,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  ip: string | null,
): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new DomainError("UNAUTHORIZED", "Sign in first");
  await assertLoginAllowed(db, user.email, ip);
  const ok = await verifyPassword(user.passwordHash, input.currentPassword);
  await recordLoginAttempt(db, user.email, ip, ok);
  if (!ok) throw new DomainError("UNAUTHORIZED", "The current password is wrong");
  if (input.newPassword === input.currentPassword) throw badRequest("Choose a password different from the current one");
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(input.newPassword), updatedAt: new Date() })
    .where(eq(users.id, userId));
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
