/**
 * Platform-admin powers (entering any tenant, closed ones included; tenants.all; platform.*) need the flag AND
 * MFA (contract v2): a flagged account without MFA acts as an ordinary user. The database's "platform admins see
 * every tenant" policy applies the same rule. Every bypass asks this one function.
 */
import type { AuthUser } from "@switchboard/auth";

export function hasPlatformPowers(user: Pick<AuthUser, "isPlatformAdmin" | "mfaEnabled"> | null | undefined): boolean {
  return Boolean(user?.isPlatformAdmin && user.mfaEnabled);
}
