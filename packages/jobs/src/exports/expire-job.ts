/**
 * `exports.expire` (hourly): files past their `expiresAt` (7 days after the request) are removed from the store and
 * their rows marked `removedAt` (the row stays as the record of the export). Tenants with such files are found by
 * `tenants_with_expired_exports()` (ids only), then each is handled in its own scope. A file removed whose row
 * update then failed is removed again next hour (a missing file is not an error).
 */
import { and, eq, isNotNull, isNull, lt, sql } from "drizzle-orm";
import { dataExports, type DbHandle, rowsOf, withScope } from "@switchboard/db";
import type { ExportStore } from "./store";

/** Files removed per tenant per transaction. */
const batch = 100;

export async function expireExports(deps: { db: DbHandle; store: ExportStore }): Promise<{ tenants: number; removed: number }> {
  const tenantIds = await withScope(deps.db, {}, async (tx) =>
    rowsOf<{ id: string }>(await tx.execute(sql`select tenants_with_expired_exports() as id`)).map((r) => r.id),
  );
  let removed = 0;
  for (const tenantId of tenantIds) {
    for (;;) {
      const n = await withScope(deps.db, { tenantId }, async (tx) => {
        const due = await tx
          .select({ id: dataExports.id, storageKey: dataExports.storageKey })
          .from(dataExports)
          .where(
            and(eq(dataExports.tenantId, tenantId), lt(dataExports.expiresAt, sql`now()`), isNull(dataExports.removedAt), isNotNull(dataExports.storageKey)),
          )
          .limit(batch)
          .for("update", { skipLocked: true });
        for (const e of due) {
          await deps.store.remove(e.storageKey!);
          await tx
            .update(dataExports)
            .set({ removedAt: new Date() })
            .where(and(eq(dataExports.tenantId, tenantId), eq(dataExports.id, e.id)));
        }
        return due.length;
      });
      removed += n;
      if (n < batch) break;
    }
  }
  return { tenants: tenantIds.length, removed };
}
