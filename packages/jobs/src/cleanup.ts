/**
 * Scheduled clean-up. Global tables (sessions, hand-offs, tokens, MFA challenges, counters, account mail) are
 * pruned as the app role outside any tenant scope; tenant tables (invitations, tenant mail) only inside each
 * tenant's scope, one `cleanup.tenant` job per tenant found by `tenants_with_expired_records()`, which answers
 * tenant ids and nothing else.
 */
import { and, isNotNull, isNull, lt, or, sql } from "drizzle-orm";
import {
  type DbHandle,
  emailOutbox,
  invitations,
  loginAttempts,
  mfaChallenges,
  rateLimitWindows,
  rowsOf,
  sessionHandoffs,
  sessions,
  userTokens,
  withScope,
} from "@switchboard/db";

export const retention = {
  /** Used or expired verification/reset tokens stay a day, so a second click can say "already used". */
  userTokensDays: 1,
  /** Failed sign-ins outlive every throttle window (≤ 1 h); successful ones the 30 days of "known address". */
  failedLoginDays: 1,
  successfulLoginDays: 31,
  /** Rate-limit windows are one minute long. */
  rateLimitWindowMinutes: 10,
  /** Expired invitations stay listed (as "expired") this long, then go. */
  expiredInvitationDays: 30,
  /** Sent (redacted) or abandoned mail. */
  mailDays: 30,
};

const daysAgo = (days: number) => sql`now() - make_interval(days => ${days})`;

export interface AccountCleanupOptions {
  /** SESSION_ABSOLUTE_LIFETIME_SECONDS: sessions older than this are dead even if recently used. */
  sessionAbsoluteLifetimeSeconds: number;
}

export async function cleanupAccounts(db: DbHandle, opts: AccountCleanupOptions): Promise<Record<string, number>> {
  return withScope(db, {}, async (tx) => {
    const count = async (q: Promise<unknown[]>) => (await q).length;
    return {
      sessions: await count(
        tx
          .delete(sessions)
          .where(
            or(
              lt(sessions.expiresAt, sql`now()`),
              lt(sessions.createdAt, sql`now() - make_interval(secs => ${opts.sessionAbsoluteLifetimeSeconds})`),
            ),
          )
          .returning({ id: sessions.id }),
      ),
      sessionHandoffs: await count(tx.delete(sessionHandoffs).where(lt(sessionHandoffs.expiresAt, sql`now()`)).returning({ id: sessionHandoffs.tokenHash })),
      userTokens: await count(
        tx
          .delete(userTokens)
          .where(
            or(
              lt(userTokens.expiresAt, daysAgo(retention.userTokensDays)),
              and(isNotNull(userTokens.usedAt), lt(userTokens.usedAt, daysAgo(retention.userTokensDays))),
            ),
          )
          .returning({ id: userTokens.tokenHash }),
      ),
      mfaChallenges: await count(tx.delete(mfaChallenges).where(lt(mfaChallenges.expiresAt, sql`now()`)).returning({ id: mfaChallenges.idHash })),
      rateLimitWindows: await count(
        tx
          .delete(rateLimitWindows)
          .where(lt(rateLimitWindows.windowStart, sql`now() - make_interval(mins => ${retention.rateLimitWindowMinutes})`))
          .returning({ bucket: rateLimitWindows.bucket }),
      ),
      loginAttempts: await count(
        tx
          .delete(loginAttempts)
          .where(
            or(
              lt(loginAttempts.at, daysAgo(retention.successfulLoginDays)),
              and(sql`not ${loginAttempts.success}`, lt(loginAttempts.at, daysAgo(retention.failedLoginDays))),
            ),
          )
          .returning({ id: loginAttempts.id }),
      ),
      accountMail: await count(
        tx
          .delete(emailOutbox)
          .where(and(isNull(emailOutbox.tenantId), lt(emailOutbox.createdAt, daysAgo(retention.mailDays))))
          .returning({ id: emailOutbox.id }),
      ),
    };
  });
}

/** Tenant ids with something to clean up (ids only: the function runs as its owner). */
export async function tenantsToClean(db: DbHandle): Promise<string[]> {
  return withScope(db, {}, async (tx) => {
    const rows = rowsOf<{ id: string }>(
      await tx.execute(
        sql`select t as id from tenants_with_expired_records(${daysAgo(retention.expiredInvitationDays)}, ${daysAgo(retention.mailDays)}) as t`,
      ),
    );
    return rows.map((r) => r.id);
  });
}

/** One tenant's clean-up, in its scope. Answers what it deleted and the scope it ran in (the job's output). */
export async function cleanupTenant(db: DbHandle, tenantId: string) {
  return withScope(db, { tenantId }, async (tx) => {
    const [scope] = rowsOf<{ tenantId: string; role: string }>(
      await tx.execute(sql`select current_setting('app.tenant_id', true) as "tenantId", current_user as "role"`),
    );
    const expired = await tx
      .delete(invitations)
      .where(and(isNull(invitations.acceptedAt), lt(invitations.expiresAt, daysAgo(retention.expiredInvitationDays))))
      .returning({ id: invitations.id });
    const mail = await tx.delete(emailOutbox).where(lt(emailOutbox.createdAt, daysAgo(retention.mailDays))).returning({ id: emailOutbox.id });
    return { scope: scope!, deleted: { invitations: expired.length, mail: mail.length } };
  });
}
