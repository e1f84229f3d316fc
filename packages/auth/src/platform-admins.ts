/**
 * Platform admins are a flag on the user (`users.is_platform_admin`), set two ways: PLATFORM_ADMIN_EMAILS (an
 * account listed there becomes one once its address is verified: at start-up, at verification and at sign-in)
 * and `pnpm platform-admin <email>`. Removing an address from the list does not unflag the account; revoke with
 * `pnpm platform-admin --revoke <email>`. Their powers also need MFA (see the trpc package's platform-powers).
 */
import { and, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { type Database, users } from "@switchboard/db";

/** `a@x.test, B@y.test` → lower-cased addresses; throws naming an entry that is no address. */
export function parsePlatformAdminEmails(value: string | undefined): string[] {
  const list = (value ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const bad = list.find((e) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e));
  if (bad) throw new Error(`"${bad}" is not an e-mail address`);
  return list;
}

/** Flags the listed accounts whose address is verified; returns the ids it flagged. */
export async function grantListedPlatformAdmins(db: Database, emails: readonly string[]): Promise<string[]> {
  if (emails.length === 0) return [];
  const rows = await db
    .update(users)
    .set({ isPlatformAdmin: true, updatedAt: new Date() })
    .where(and(inArray(users.email, [...emails]), isNotNull(users.emailVerifiedAt), eq(users.isPlatformAdmin, false)))
    .returning({ id: users.id });
  return rows.map((r) => r.id);
}

/** `pnpm platform-admin`: sets or clears the flag; null when no account has the address. */
export async function setPlatformAdmin(
  db: Database,
  email: string,
  on: boolean,
): Promise<{ id: string; emailVerified: boolean; mfaEnabled: boolean } | null> {
  const [row] = await db
    .update(users)
    .set({ isPlatformAdmin: on, updatedAt: new Date() })
    .where(eq(users.email, email.trim().toLowerCase()))
    .returning({
      id: users.id,
      emailVerified: sql<boolean>`${users.emailVerifiedAt} is not null`,
      mfaEnabled: sql<boolean>`${users.mfaEnabledAt} is not null`,
    });
  return row ?? null;
}
