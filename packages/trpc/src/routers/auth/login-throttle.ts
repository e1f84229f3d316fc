/**
 * Login throttling over `login_attempts` (shared by every replica). Three limits, none of which lets a third
 * party lock an account for good:
 * - per account and IP: a few failures in a sliding window (the usual password-guessing case);
 * - per IP: more failures across accounts (credential stuffing from one address);
 * - per account, from anywhere: past a looser threshold each further failure doubles a waiting time (capped),
 *   which expires by itself; an IP that signed in to the account successfully before is exempt, so an attacker
 *   spraying from many addresses does not lock the owner out.
 * Refused attempts are not recorded (they verify no password), so waiting always ends.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import { hashToken } from "@switchboard/auth";
import { type Executor, loginAttempts } from "@switchboard/db";
import { DomainError } from "../../errors";

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

const tooMany = () => new DomainError("TOO_MANY_REQUESTS", "Too many failed sign-in attempts: wait a few minutes and try again");

export async function assertLoginAllowed(db: Executor, email: string, ip: string | null): Promise<void> {
  const account = accountKey(email);
  const addr = ip ?? "unknown";
  const l = loginLimits;
  const [r] = await db
    .select({
      pair: sql<number>`count(*) filter (where ${loginAttempts.account} = ${account} and ${loginAttempts.ip} = ${addr}
        and not ${loginAttempts.success} and ${loginAttempts.at} > now() - make_interval(mins => ${l.windowMinutes}))::int`,
      byIp: sql<number>`count(*) filter (where ${loginAttempts.ip} = ${addr}
        and not ${loginAttempts.success} and ${loginAttempts.at} > now() - make_interval(mins => ${l.windowMinutes}))::int`,
      byAccount: sql<number>`count(*) filter (where ${loginAttempts.account} = ${account}
        and not ${loginAttempts.success} and ${loginAttempts.at} > now() - make_interval(mins => ${l.accountWindowMinutes}))::int`,
      waitedSeconds: sql<number | null>`extract(epoch from now() - max(${loginAttempts.at}) filter (
        where ${loginAttempts.account} = ${account} and not ${loginAttempts.success}))::float8`,
      knownIp: sql<boolean>`coalesce(bool_or(${loginAttempts.account} = ${account} and ${loginAttempts.ip} = ${addr}
        and ${loginAttempts.success}), false)`,
    })
    .from(loginAttempts)
    .where(
      and(
        sql`(${loginAttempts.account} = ${account} or ${loginAttempts.ip} = ${addr})`,
        sql`${loginAttempts.at} > now() - make_interval(days => ${l.knownIpDays})`,
      ),
    );
  if (r!.pair >= l.perAccountAndIp || r!.byIp >= l.perIp) throw tooMany();
  if (!r!.knownIp && r!.byAccount >= l.accountFreeFailures) {
    const delay = Math.min(l.accountBaseDelaySeconds * 2 ** (r!.byAccount - l.accountFreeFailures), l.accountMaxDelaySeconds);
    if ((r!.waitedSeconds ?? Infinity) < delay) throw tooMany();
  }
}

export async function recordLoginAttempt(db: Executor, email: string, ip: string | null, success: boolean): Promise<void> {
  const account = accountKey(email);
  const addr = ip ?? "unknown";
  await db.insert(loginAttempts).values({ account, ip: addr, success });
  // A success from this address clears its failures for the account (not the account-wide count).
  if (success) {
    await db
      .delete(loginAttempts)
      .where(and(eq(loginAttempts.account, account), eq(loginAttempts.ip, addr), eq(loginAttempts.success, false)));
  }
  if (Math.random() < 0.01) {
    await db.delete(loginAttempts).where(lt(loginAttempts.at, sql`now() - make_interval(days => ${loginLimits.knownIpDays})`));
  }
}
