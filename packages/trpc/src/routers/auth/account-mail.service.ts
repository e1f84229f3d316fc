/**
 * Mailed single-use links: e-mail verification (24 h) and password reset (1 h). The link carries a 256-bit token;
 * `user_tokens` keeps only its SHA-256 and the address it was sent to (a link proves that address only). Mail is
 * queued in the caller's transaction (lib/mail.ts), so a rollback sends nothing.
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { hashToken, randomToken } from "@switchboard/auth";
import { mfaRecoveryCodes, type Tx, users, userTokens } from "@switchboard/db";
import { badRequest, preconditionFailed, tooManyRequests } from "../../errors";
import { queueEmail } from "../../lib/mail";
import { endMfaChallenges } from "./mfa.service";
import { recordSecurityEvent, type Where } from "./security-log.service";

const hourMs = 3_600_000;
export const verifyEmailTtlMs = 24 * hourMs;
export const passwordResetTtlMs = hourMs;
/** Links of one kind mailed to one account per hour, at most (no mail bombing through our server). */
export const mailsPerHour = 5;

const invalidLink = () => badRequest("This link is invalid, already used or expired: ask for a new one");

async function storeToken(
  tx: Tx,
  user: { id: string; email: string },
  purpose: "verify_email" | "reset_password",
  ttlMs: number,
  token = randomToken(),
): Promise<string> {
  await tx.insert(userTokens).values({
    tokenHash: hashToken(token),
    userId: user.id,
    purpose,
    email: user.email,
    expiresAt: new Date(Date.now() + ttlMs),
  });
  return token;
}

/** Uses up a link's token (atomically: a link works once); the account and the address it was sent to. */
async function redeem(tx: Tx, token: string, purpose: "verify_email" | "reset_password") {
  const [used] = await tx
    .update(userTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(userTokens.tokenHash, hashToken(token)),
        eq(userTokens.purpose, purpose),
        isNull(userTokens.usedAt),
        gt(userTokens.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: userTokens.userId, email: userTokens.email });
  if (!used) throw invalidLink();
  return used;
}

/** Mails a verification link (`<linkBase>?token=…`) to the account's address. */
export async function sendVerification(tx: Tx, user: { id: string; email: string; name: string }, linkBase: string): Promise<void> {
  const token = await storeToken(tx, user, "verify_email", verifyEmailTtlMs);
  await queueEmail(tx, null, { template: "verify-email", to: user.email, name: user.name, link: `${linkBase}?token=${token}` });
}

/** How many links of a kind the account was sent in the last hour, and when the oldest of them leaves the hour. */
function recentLinks(userId: string, purpose: "verify_email" | "reset_password") {
  const recent = sql`${userTokens.userId} = ${userId} and ${userTokens.purpose} = ${purpose} and ${userTokens.createdAt} > now() - interval '1 hour'`;
  return {
    count: sql<number>`(select count(*)::int from ${userTokens} where ${recent})`,
    freeInSeconds: sql<number | null>`(select extract(epoch from min(${userTokens.createdAt}) + interval '1 hour' - now())::float8
      from ${userTokens} where ${recent})`,
  };
}

/** Signed in, address not yet verified: mails a new link (at most `mailsPerHour`). */
export async function resendVerification(tx: Tx, userId: string, linkBase: string): Promise<void> {
  const [user] = await tx
    .select({ id: users.id, email: users.email, name: users.name, verifiedAt: users.emailVerifiedAt, ...recentLinks(userId, "verify_email") })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  if (!user) throw badRequest("No such account");
  if (user.verifiedAt) throw preconditionFailed("Your address is already verified");
  if (user.count >= mailsPerHour) {
    throw tooManyRequests("We have sent several links in the last hour: check your inbox or try again later", user.freeInSeconds ?? 60);
  }
  await sendVerification(tx, user, linkBase);
}

/**
 * Redeems a verification link: the address it was sent to becomes verified (if the account still uses it), and an
 * address listed in PLATFORM_ADMIN_EMAILS makes the account a platform admin. Returns the account's id.
 */
export async function verifyEmail(tx: Tx, token: string, platformAdminEmails: ReadonlySet<string>, where: Where): Promise<string> {
  const used = await redeem(tx, token, "verify_email");
  const [user] = await tx
    .update(users)
    .set({
      emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`,
      ...(platformAdminEmails.has(used.email) ? { isPlatformAdmin: true } : {}),
      updatedAt: new Date(),
    })
    .where(and(eq(users.id, used.userId), eq(users.email, used.email)))
    .returning({ id: users.id });
  if (!user) throw invalidLink();
  await recordSecurityEvent(tx, user.id, "email_verified", where);
  return user.id;
}

/** Thrown inside a savepoint to undo the work done for an unknown address (see requestPasswordReset). */
class Undo extends Error {}

/**
 * Mails a reset link when the address has an account (and fewer than `mailsPerHour` were sent this hour). The
 * answer is the same either way, and so is the work: for an unknown address the mail is rendered and queued
 * too, inside a savepoint that is then rolled back, so the time taken does not tell whether the account exists.
 * The writes go out together (one round trip), so the known address's extra rows cost no extra wait.
 */
export async function requestPasswordReset(tx: Tx, email: string, linkBase: string, where: Where): Promise<void> {
  const [user] = await tx
    .select({ id: users.id, email: users.email, name: users.name, recent: sql<number>`(select count(*)::int from ${userTokens}
      where ${userTokens.userId} = ${users.id} and ${userTokens.purpose} = 'reset_password'
        and ${userTokens.createdAt} > now() - interval '1 hour')` })
    .from(users)
    .where(eq(users.email, email));
  const send = Boolean(user && user.recent < mailsPerHour);
  try {
    const token = randomToken();
    const link = `${linkBase}?token=${token}`;
    await tx.transaction(async (sp) => {
      await Promise.all([
        send ? storeToken(sp, user!, "reset_password", passwordResetTtlMs, token) : null,
        queueEmail(sp, null, { template: "password-reset", to: user?.email ?? email, name: user?.name ?? email, link }),
        send ? recordSecurityEvent(sp, user!.id, "password_reset_requested", where) : null,
      ]);
      if (!send) throw new Undo();
    });
  } catch (err) {
    if (!(err instanceof Undo)) throw err;
  }
}

/**
 * Redeems a reset link: sets the new password (already hashed), voids the account's other reset links and ends
 * its pending MFA sign-ins (a challenge proves the old password). The caller then ends every session. Returns the
 * account's id.
 *
 * An account whose address was not verified yet may have been registered by someone else (pre-registration of
 * another person's address): whatever MFA was set up before the address was proven is removed too, so the
 * mailbox's owner is not left facing a second factor that a squatter holds.
 */
export async function resetPassword(tx: Tx, token: string, passwordHash: string, where: Where): Promise<string> {
  const used = await redeem(tx, token, "reset_password");
  const [before] = await tx
    .select({ verifiedAt: users.emailVerifiedAt, mfaSecret: users.mfaSecret })
    .from(users)
    .where(and(eq(users.id, used.userId), eq(users.email, used.email)))
    .for("update");
  if (!before) throw invalidLink();
  const unproven = before.verifiedAt === null;
  const [user] = await tx
    .update(users)
    // The link reached the mailbox: that proves the address as a verification link would.
    .set({
      passwordHash,
      emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, now())`,
      ...(unproven ? { mfaSecret: null, mfaEnabledAt: null, mfaLastStep: null } : {}),
      updatedAt: new Date(),
    })
    .where(eq(users.id, used.userId))
    .returning({ id: users.id });
  await Promise.all([
    tx
      .update(userTokens)
      .set({ usedAt: new Date() })
      .where(and(eq(userTokens.userId, user!.id), eq(userTokens.purpose, "reset_password"), isNull(userTokens.usedAt))),
    endMfaChallenges(tx, user!.id),
    unproven ? tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user!.id)) : null,
  ]);
  if (unproven && before.mfaSecret !== null) await recordSecurityEvent(tx, user!.id, "mfa_disabled", where);
  await recordSecurityEvent(tx, user!.id, "password_reset", where);
  return user!.id;
}
