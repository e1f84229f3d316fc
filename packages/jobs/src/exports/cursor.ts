/**
 * Rows of a query in batches from a server-side cursor (`DECLARE … CURSOR` / `FETCH`), inside the caller's scoped
 * transaction: one snapshot, one plan, rows read as they are written out, never the whole result in memory. Plain
 * SQL, so the same code runs on postgres.js and on PGlite.
 */
import { type SQL, sql } from "drizzle-orm";
import { rowsOf, type Tx } from "@switchboard/db";

/** Calls `onBatch` with up to `batchSize` rows at a time until the query is exhausted. */
export async function readInBatches<Row>(tx: Tx, query: SQL, batchSize: number, onBatch: (rows: Row[]) => Promise<void>): Promise<void> {
  await tx.execute(sql`declare export_rows no scroll cursor for ${query}`);
  const fetch = sql`fetch forward ${sql.raw(String(Math.max(1, Math.floor(batchSize))))} from export_rows`;
  for (;;) {
    const rows = rowsOf<Row>(await tx.execute(fetch));
    if (rows.length === 0) break;
    await onBatch(rows);
    if (rows.length < batchSize) break;
  }
  await tx.execute(sql`close export_rows`);
}
