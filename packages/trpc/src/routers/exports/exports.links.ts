/**
 * Signed links (contract v2: a path on the tenant's host, no session needed, valid 15 minutes). The MAC is the secret
 * box's HMAC (a key derived from ENCRYPTION_KEY for this purpose only) over the tenant, the export, who asked for the
 * link and its expiry, so a link opens one export of one tenant, until its time, and names its taker for the audit.
 * Nothing is stored: a link cannot be revoked, only outlived (15 minutes) or made useless by the file's removal.
 *
 * The audit log's CSV (`audit.export`) is signed the same way with its own purpose, its filters inside the token.
 */
import type { SecretBox } from "@switchboard/auth";

export const linkLifetimeSeconds = 15 * 60;
const exportPurpose = "exports-download";
const auditPurpose = "audit-export";

const uuidPattern = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const exportToken = new RegExp(`^(${uuidPattern})\\.([0-9]{1,12})\\.([A-Za-z0-9_-]{43})$`);

const exportSigned = (tenantId: string, exportId: string, userId: string, expires: number) => `${tenantId}:${exportId}:${userId}:${expires}`;

export function exportDownloadPath(secrets: Pick<SecretBox, "sign">, tenantId: string, exportId: string, userId: string, now = Date.now()) {
  const expires = Math.floor(now / 1000) + linkLifetimeSeconds;
  const mac = secrets.sign(exportSigned(tenantId, exportId, userId, expires), exportPurpose);
  return `/exports/${exportId}/download?token=${userId}.${expires}.${mac}`;
}

export type LinkCheck<T> = { ok: true; value: T } | { ok: false; reason: "invalid" | "expired" };

/** Who the link was issued to, when `token` is a link to this export of this tenant; `expired` only for a genuine link. */
export function checkExportToken(
  secrets: Pick<SecretBox, "verify">,
  tenantId: string,
  exportId: string,
  token: string,
  now = Date.now(),
): LinkCheck<{ userId: string }> {
  const m = exportToken.exec(token);
  if (!m) return { ok: false, reason: "invalid" };
  const [, userId, expires, mac] = m as unknown as [string, string, string, string];
  if (!secrets.verify(exportSigned(tenantId, exportId, userId, Number(expires)), exportPurpose, mac)) return { ok: false, reason: "invalid" };
  if (Number(expires) * 1000 <= now) return { ok: false, reason: "expired" };
  return { ok: true, value: { userId } };
}

/** What an audit CSV link carries: the tenant, who asked, when it expires, the filters. */
export interface AuditExportClaims {
  tenantId: string;
  userId: string;
  expires: number;
  filters: { action?: string; resourceType?: string; actorId?: string; result?: "success" | "denied"; from?: string; to?: string };
}

export function auditExportPath(secrets: Pick<SecretBox, "sign">, claims: Omit<AuditExportClaims, "expires">, now = Date.now()) {
  const body = Buffer.from(JSON.stringify({ ...claims, expires: Math.floor(now / 1000) + linkLifetimeSeconds })).toString("base64url");
  return `/audit/export.csv?token=${body}.${secrets.sign(body, auditPurpose)}`;
}

/** The link's claims when `token` is an audit CSV link of this tenant; `expired` only for a genuine one. */
export function checkAuditExportToken(secrets: Pick<SecretBox, "verify">, tenantId: string, token: string, now = Date.now()): LinkCheck<AuditExportClaims> {
  const m = /^([A-Za-z0-9_-]{1,4000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m || !secrets.verify(m[1]!, auditPurpose, m[2]!)) return { ok: false, reason: "invalid" };
  const claims = JSON.parse(Buffer.from(m[1]!, "base64url").toString("utf8")) as AuditExportClaims;
  if (claims.tenantId !== tenantId) return { ok: false, reason: "invalid" };
  if (claims.expires * 1000 <= now) return { ok: false, reason: "expired" };
  return { ok: true, value: claims };
}
