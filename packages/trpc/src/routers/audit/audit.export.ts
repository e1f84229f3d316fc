/**
 * `audit.export`: the filtered audit log as CSV (the columns of an export's `audit` kind), newest first. The
 * procedure hands out a signed link (15 minutes, the filters inside it); the API's route streams the CSV from a
 * server-side cursor (apps/api plugins/exports.ts), so a log of any length never sits in memory.
 */
import { and, desc, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import type { SecretBox } from "@switchboard/auth";
import { auditLog, type DbHandle, withScope } from "@switchboard/db";
import { csvHeader, csvLine, csvQuery, readInBatches } from "@switchboard/jobs";
import type { ListAuditInput } from "./audit.service";
import { type AuditExportClaims, auditExportPath, checkAuditExportToken } from "../exports/exports.links";
import { type SignedLinkRequest, withHostTenant } from "../exports/exports.files";

/** The list's filters, without paging. */
export type ExportAuditInput = Omit<ListAuditInput, "limit" | "cursor">;

export function issueAuditExport(secrets: Pick<SecretBox, "sign">, tenantId: string, userId: string, input: ExportAuditInput) {
  const filters: AuditExportClaims["filters"] = {
    ...(input.action ? { action: input.action } : {}),
    ...(input.resourceType ? { resourceType: input.resourceType } : {}),
    ...(input.actorId ? { actorId: input.actorId } : {}),
    ...(input.result ? { result: input.result } : {}),
    ...(input.from ? { from: input.from.toISOString() } : {}),
    ...(input.to ? { to: input.to.toISOString() } : {}),
  };
  return { url: auditExportPath(secrets, { tenantId, userId, filters }) };
}

export type AuditCsvOutcome = { kind: "csv"; claims: AuditExportClaims; filename: string } | { kind: "not-found" } | { kind: "gone" };

export async function openAuditExport(req: SignedLinkRequest): Promise<AuditCsvOutcome> {
  const outcome = await withHostTenant(req.db, req.slug, async (_tx, tenant): Promise<AuditCsvOutcome> => {
    const link = checkAuditExportToken(req.secrets, tenant.id, req.token);
    if (!link.ok) return { kind: link.reason === "expired" ? "gone" : "not-found" };
    return { kind: "csv", claims: link.value, filename: `${tenant.slug}-audit-${new Date().toISOString().slice(0, 10)}.csv` };
  });
  return outcome ?? { kind: "not-found" };
}

/** Writes the CSV (header, then the filtered entries newest first) through `put`, which applies backpressure. */
export async function writeAuditCsv(db: DbHandle, claims: AuditExportClaims, put: (chunk: string) => Promise<void>): Promise<number> {
  const f = claims.filters;
  const where: (SQL | undefined)[] = [
    f.action ? eq(auditLog.action, f.action) : undefined,
    f.resourceType ? eq(auditLog.resourceType, f.resourceType) : undefined,
    f.actorId ? eq(auditLog.actorId, f.actorId) : undefined,
    f.result ? eq(auditLog.result, f.result) : undefined,
    f.from ? gte(auditLog.at, new Date(f.from)) : undefined,
    f.to ? lt(auditLog.at, new Date(f.to)) : undefined,
  ];
  let rows = 0;
  await put(csvLine(csvHeader("audit")));
  await withScope(db, { tenantId: claims.tenantId }, (tx) =>
    readInBatches<Record<string, string | null>>(tx, csvQuery("audit", claims.tenantId, and(...where), sql`${desc(auditLog.at)}, ${desc(auditLog.id)}`), 1000, async (batch) => {
      let text = "";
      for (const r of batch) text += csvLine(Object.values(r));
      rows += batch.length;
      await put(text);
    }),
  );
  return rows;
}
