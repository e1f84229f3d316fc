/**
 * Login throttling over `login_attempts` (shared by every replica). Three limits, none of which lets a third
 * party lock an account for good:
 * - per account and IP: a few failures in a sliding window (the usual password-guessing case);
 * - per IP: more failures across accounts (credential stuffing from one address);
 * - per account, from anywhere: past a looser threshold each further failure doubles a waiting time (capped),
 *   which expires by itself; an IP that signed in to the account successfully before is exempt, so an attacker
 *   spraying from many addresses does not lock the owner out.
 * Refused attempts are not recorded (they verify nothing), so waiting always ends.
 *
 * Race-free: an attempt first takes its place. In a short transaction holding advisory locks on the account and
 * then the address (always in that order: no deadlock), the limits are checked and the attempt is recorded as a
 * failure; the password or code is then verified outside any lock, and a success replaces that record. Attempts
 * arriving together therefore count each other: however many run at once, no more than the limit get verified.
 * Wrong MFA codes count as failures too, so knowing the password does not open unlimited code guessing.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import { hashToken } from "@switchboard/auth";
import { type Database, loginAttempts } from "@switchboard/db";
import { tooManyRequests } from "../../errors";

export const loginLimits = {
  windowMinutes: 15,
  perAccountAndIp: 5,
  perIp: 50,
  accountWindowMinutes: 60,
  accountFreeFailures: 20,
  accountBaseDelaySeconds: 1,
  accountMaxDelaySeconds: 15 * 60,
  knownIpDays: 30,
};

export const accountKey = (email: string) => hashToken(`login:${email.trim().toLowerCase()}`);

const refused = (seconds: number) =>
  tooManyRequests("Too many failed sign-in attempts: wait a few minutes and try again", seconds);

/** Checks the limits and records the attempt as a failure (until it succeeds); returns its id. Throws TOO_MANY_REQUESTS. */
async function takePlace(db: Database, account: string, addr: string): Promise<string> {
  const l = loginLimits;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`login-account:${account}`}, 0))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`login-ip:${addr}`}, 0))`);
    const failed = sql`not ${loginAttempts.success}`;
    const inWindow = sql`${loginAttempts.at} > now() - make_interval(mins => ${l.windowMinutes})`;
    const mine = sql`${loginAttempts.account} = ${account}`;
    const here = sql`${loginAttempts.ip} = ${addr}`;
    const [r] = await tx
      .select({
        pair: sql<number>`count(*) filter (where ${mine} and ${here} and ${failed} and ${inWindow})::int`,
        pairFreeIn: sql<number | null>`extract(epoch from min(${loginAttempts.at}) filter (where ${mine} and ${here} and ${failed} and ${inWindow})
          + make_interval(mins => ${l.windowMinutes}) - now())::float8`,
        byIp: sql<number>`count(*) filter (where ${here} and ${failed} and ${inWindow})::int`,
        ipFreeIn: sql<number | null>`extract(epoch from min(${loginAttempts.at}) filter (where ${here} and ${failed} and ${inWindow})
          + make_interval(mins => ${l.windowMinutes}) - now())::float8`,
        byAccount: sql<number>`count(*) filter (where ${mine} and ${failed}
          and ${loginAttempts.at} > now() - make_interval(mins => ${l.accountWindowMinutes}))::int`,
        waitedSeconds: sql<number | null>`extract(epoch from now() - max(${loginAttempts.at}) filter (where ${mine} and ${failed}))::float8`,
        knownIp: sql<boolean>`coalesce(bool_or(${mine} and ${here} and ${loginAttempts.success}), false)`,
      })
      .from(loginAttempts)
      .where(and(sql`(${mine} or ${here})`, sql`${loginAttempts.at} > now() - make_interval(days => ${l.knownIpDays})`));
    if (r!.pair >= l.perAccountAndIp) throw refused(r!.pairFreeIn ?? 60);
    if (r!.byIp >= l.perIp) throw refused(r!.ipFreeIn ?? 60);
    if (!r!.knownIp && r!.byAccount >= l.accountFreeFailures) {
      const delay = Math.min(l.accountBaseDelaySeconds * 2 ** (r!.byAccount - l.accountFreeFailures), l.accountMaxDelaySeconds);
      const waited = r!.waitedSeconds ?? Infinity;
      if (waited < delay) throw refused(delay - waited);
    }
    const [place] = await tx.insert(loginAttempts).values({ account, ip: addr, success: false }).returning({ id: loginAttempts.id });
    return place!.id;
  });
}

/**
 * A success from this address clears its failures for the account, its own place included (not the account-wide
 * count), and is recorded as a success.
 */
async function succeeded(db: Database, account: string, addr: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .delete(loginAttempts)
      .where(and(eq(loginAttempts.account, account), eq(loginAttempts.ip, addr), eq(loginAttempts.success, false)));
    await tx.insert(loginAttempts).values({ account, ip: addr, success: true });
  });
  if (Math.random() < 0.01) {
    await db.delete(loginAttempts).where(lt(loginAttempts.at, sql`now() - make_interval(days => ${loginLimits.knownIpDays})`));
  }
}

/**
 * What a verification found: `true` signs in (clears the address's failures), `false` is a failure, and
 * `"first-factor"` is a right password of an account with MFA: not a failure, but it clears nothing either, or
 * whoever knows the password could guess codes without limit by signing in again between guesses.
 */
export type AttemptOutcome = boolean | "first-factor";

/**
 * Runs `verify` (a password or code check) as one throttled attempt on the account `email` from `ip`: refused with
 * TOO_MANY_REQUESTS (and a retry-after) past the limits, recorded as a success or failure otherwise.
 */
export async function throttledAttempt(db: Database, email: string, ip: string | null, verify: () => Promise<AttemptOutcome>): Promise<boolean> {
  const account = accountKey(email);
  const addr = ip ?? "unknown";
  const place = await takePlace(db, account, addr);
  const outcome = await verify();
  if (outcome === true) await succeeded(db, account, addr);
  else if (outcome === "first-factor") await db.delete(loginAttempts).where(eq(loginAttempts.id, place));
  return outcome !== false;
}
