/**
 * Who may open the platform console (CONTRACT.md "platform": platform admins with MFA, on the bare domain). The API
 * refuses everyone else anyway; this decides which explanation to show instead of screens full of refusals.
 */
export type PlatformAccess = "granted" | "tenant-host" | "not-admin" | "needs-mfa";

export function platformAccess(tenantSlug: string | null, user: { isPlatformAdmin: boolean; mfaEnabled: boolean }): PlatformAccess {
  // The session cookie is per host: the console lives on the bare domain, next to the tenant picker.
  if (tenantSlug) return "tenant-host";
  if (!user.isPlatformAdmin) return "not-admin";
  if (!user.mfaEnabled) return "needs-mfa";
  return "granted";
}
