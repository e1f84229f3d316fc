/**
 * TOTP MFA for an account: setup (a secret sealed with ENCRYPTION_KEY, pending until a code proves it), enable
 * (10 single-use recovery codes, stored hashed, shown once), disable, and the codes that complete a sign-in.
 * A TOTP code is accepted once: `users.mfa_last_step` remembers the last time step used, under a row lock, so the
 * same code (or an older one) is refused afterwards, also when sent twice at once.
 */
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import {
  generateRecoveryCodes,
  generateTotpSecret,
  hashRecoveryCode,
  hashToken,
  isTotpCode,
  matchTotp,
  randomToken,
  type SecretBox,
  totpUri,
} from "@switchboard/auth";
import { type Database, type Executor, mfaChallenges, mfaRecoveryCodes, type Tx, users } from "@switchboard/db";
import { badRequest, preconditionFailed } from "../../errors";
import { recordSecurityEvent, type Where } from "./security-log.service";

export const mfaIssuer = "Switchboard";
export const challengeTtlMs = 5 * 60_000;
export const challengeMaxCodes = 5;

const secretContext = (userId: string) => `mfa:${userId}`;
const wrongCode = () => badRequest("That code is not valid: check the time on your device and try again");

/** Starts (or restarts) a setup: a new secret, sealed at rest; MFA stays off until `enableMfa`. */
export async function setupMfa(db: Executor, secrets: SecretBox, user: { id: string; email: string }) {
  const [row] = await db.select({ enabledAt: users.mfaEnabledAt }).from(users).where(eq(users.id, user.id));
  if (row?.enabledAt) throw preconditionFailed("Two-factor authentication is already on: turn it off first to set it up again");
  const secret = generateTotpSecret();
  await db
    .update(users)
    .set({ mfaSecret: secrets.seal(secret, secretContext(user.id)), mfaLastStep: null, updatedAt: new Date() })
    .where(eq(users.id, user.id));
  return { secret, otpauthUrl: totpUri(mfaIssuer, user.email, secret) };
}

async function lockedMfaState(tx: Tx, userId: string) {
  const [row] = await tx
    .select({ secret: users.mfaSecret, enabledAt: users.mfaEnabledAt, lastStep: users.mfaLastStep })
    .from(users)
    .where(eq(users.id, userId))
    .for("update");
  return row;
}

/** Accepts a TOTP code for the locked account once (see the header); false when wrong or already used. */
async function acceptTotp(tx: Tx, secrets: SecretBox, userId: string, state: { secret: string; lastStep: number | null }, code: string) {
  let secret: string;
  try {
    secret = secrets.open(state.secret, secretContext(userId));
  } catch {
    return false; // sealed under a key no longer configured: only a recovery code helps now
  }
  const step = matchTotp(secret, code.replace(/\s/g, ""), state.lastStep);
  if (step === null) return false;
  await tx.update(users).set({ mfaLastStep: step }).where(eq(users.id, userId));
  return true;
}

/** Proves the pending secret with a code, turns MFA on, and returns 10 new recovery codes (shown once). */
export async function enableMfa(tx: Tx, secrets: SecretBox, userId: string, code: string, where: Where) {
  const state = await lockedMfaState(tx, userId);
  if (state?.enabledAt) throw preconditionFailed("Two-factor authentication is already on");
  if (!state?.secret) throw preconditionFailed("Start the setup first (auth.mfa.setup)");
  if (!isTotpCode(code) || !(await acceptTotp(tx, secrets, userId, { secret: state.secret, lastStep: state.lastStep }, code))) {
    throw wrongCode();
  }
  const recoveryCodes = generateRecoveryCodes();
  await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
  await tx.insert(mfaRecoveryCodes).values(recoveryCodes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })));
  await tx.update(users).set({ mfaEnabledAt: new Date(), updatedAt: new Date() }).where(eq(users.id, userId));
  await recordSecurityEvent(tx, userId, "mfa_enabled", where);
  return { recoveryCodes };
}

/**
 * Checks and uses up a second-factor code of an account with MFA on: a TOTP code (once) or an unused recovery
 * code (then spent, and logged). False when MFA is off or the code is wrong.
 */
export async function redeemMfaCode(tx: Tx, secrets: SecretBox, userId: string, code: string, where: Where): Promise<boolean> {
  const state = await lockedMfaState(tx, userId);
  if (!state?.enabledAt || !state.secret) return false;
  if (isTotpCode(code)) return acceptTotp(tx, secrets, userId, { secret: state.secret, lastStep: state.lastStep }, code);
  if (code.length > 64) return false;
  const [spent] = await tx
    .update(mfaRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(and(eq(mfaRecoveryCodes.userId, userId), eq(mfaRecoveryCodes.codeHash, hashRecoveryCode(code)), isNull(mfaRecoveryCodes.usedAt)))
    .returning({ userId: mfaRecoveryCodes.userId });
  if (!spent) return false;
  await recordSecurityEvent(tx, userId, "recovery_code_used", where);
  return true;
}

/** Turns MFA off (after `redeemMfaCode` accepted a code in the same transaction): secret and recovery codes go. */
export async function turnOffMfa(tx: Tx, userId: string, where: Where): Promise<void> {
  await tx
    .update(users)
    .set({ mfaSecret: null, mfaEnabledAt: null, mfaLastStep: null, updatedAt: new Date() })
    .where(eq(users.id, userId));
  await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId));
  await recordSecurityEvent(tx, userId, "mfa_disabled", where);
}

/** The second step of a sign-in: a challenge token (returned once, stored hashed) valid 5 minutes for 5 codes. */
export async function createMfaChallenge(db: Database, userId: string): Promise<string> {
  const challenge = randomToken();
  await db.delete(mfaChallenges).where(and(eq(mfaChallenges.userId, userId), lt(mfaChallenges.expiresAt, sql`now()`)));
  await db.insert(mfaChallenges).values({ idHash: hashToken(challenge), userId, expiresAt: new Date(Date.now() + challengeTtlMs) });
  return challenge;
}

/** Counts one code against the challenge (atomically); the account's id, or null when expired or used up. */
export async function spendChallengeAttempt(db: Database, challenge: string): Promise<string | null> {
  if (challenge.length > 128) return null;
  const [row] = await db
    .update(mfaChallenges)
    .set({ attempts: sql`${mfaChallenges.attempts} + 1` })
    .where(
      and(
        eq(mfaChallenges.idHash, hashToken(challenge)),
        lt(mfaChallenges.attempts, challengeMaxCodes),
        sql`${mfaChallenges.expiresAt} > now()`,
      ),
    )
    .returning({ userId: mfaChallenges.userId });
  return row?.userId ?? null;
}

/** Ends every pending MFA sign-in of the account (its password changed: a challenge proves the old one). */
export async function endMfaChallenges(db: Executor, userId: string): Promise<void> {
  await db.delete(mfaChallenges).where(eq(mfaChallenges.userId, userId));
}

export async function endChallenge(db: Database, challenge: string): Promise<void> {
  await db.delete(mfaChallenges).where(eq(mfaChallenges.idHash, hashToken(challenge)));
}
