import { and, count, eq, inArray } from "drizzle-orm";
import type { SecretBox } from "@switchboard/auth";
import { type DataExport, dataExports, type Tx } from "@switchboard/db";
import { enqueue } from "@switchboard/jobs";
import { notFound, preconditionFailed } from "../../errors";
import { afterCursor, newestFirst, orderOf, toPage } from "../../lib/cursor";
import { lockTenant } from "../../lib/locks";
import { type CreateExportInput, MAX_OPEN_EXPORTS } from "./exports.input";
import { exportDownloadPath } from "./exports.links";

/** Files are removed this long after the request (contract: 7 days). */
export const exportLifetimeMs = 7 * 24 * 3600 * 1000;

export function exportView(e: DataExport) {
  return {
    id: e.id,
    kinds: e.kinds,
    format: e.format,
    status: e.status,
    /** Rows written so far (while running), or in all (ready). */
    rows: e.rows,
    /** Compressed bytes written so far, or the file's size. */
    bytes: e.bytes,
    /** Why it failed, for the admin; null unless failed. */
    error: e.error,
    requestedBy: e.requestedByLabel,
    createdAt: e.createdAt.toISOString(),
    finishedAt: e.finishedAt?.toISOString() ?? null,
    /** The file is removed at this time. */
    expiresAt: e.expiresAt.toISOString(),
    /** When the file was removed (expired); null while it can be downloaded. */
    removedAt: e.removedAt?.toISOString() ?? null,
  };
}

const listOrder = newestFirst(dataExports.createdAt, dataExports.id, (e: DataExport) => [e.createdAt, e.id]);

export async function listExports(tx: Tx, input: { limit: number; cursor?: string | undefined }) {
  const rows = await tx
    .select()
    .from(dataExports)
    .where(afterCursor(input.cursor, listOrder))
    .orderBy(...orderOf(listOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, listOrder, exportView);
}

/** A new export, pending; its `exports.run` job commits with it. */
export async function createExport(tx: Tx, tenantId: string, by: { id: string; email: string }, input: CreateExportInput) {
  await lockTenant(tx, "exports", tenantId);
  const [open] = await tx
    .select({ n: count() })
    .from(dataExports)
    .where(and(eq(dataExports.tenantId, tenantId), inArray(dataExports.status, ["pending", "running"])));
  if ((open?.n ?? 0) >= MAX_OPEN_EXPORTS) {
    throw preconditionFailed(`At most ${MAX_OPEN_EXPORTS} exports can be in progress at once; wait for one to finish`);
  }
  const [row] = await tx
    .insert(dataExports)
    .values({
      tenantId,
      kinds: input.kinds,
      format: input.format,
      requestedBy: by.id,
      requestedByLabel: by.email.slice(0, 200),
      expiresAt: new Date(Date.now() + exportLifetimeMs),
    })
    .returning();
  await enqueue(tx, "exports.run", { tenantId, exportId: row!.id }, { wake: true });
  return exportView(row!);
}

/** A link to the export's file, valid 15 minutes, for the admin asking (audited as this mutation). */
export async function issueDownload(tx: Tx, secrets: Pick<SecretBox, "sign">, tenantId: string, userId: string, id: string) {
  const [e] = await tx
    .select()
    .from(dataExports)
    .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, id)));
  if (!e) throw notFound("Export");
  if (e.removedAt || e.expiresAt.getTime() <= Date.now()) throw preconditionFailed("This export has expired; create a new one");
  if (e.status !== "ready" || !e.storageKey) throw preconditionFailed("This export is not ready yet");
  return { url: exportDownloadPath(secrets, tenantId, id, userId) };
}
