/**
 * A tenant's storage, estimated for the platform's tenant list: its rows in the tables that hold nearly all tenant
 * bytes (counted in its scope, one statement, index-only where the tenant_id indexes allow) × each table's bytes per
 * row (heap + TOAST + indexes, `pg_total_relation_size ÷ reltuples` from the catalog; for a table never analysed,
 * its size ÷ the rows counted on the page). Exact per-row sizes (`pg_column_size` over every row) would read every
 * row of every tenant on the page; this reads index entries only, and the catalog once per page. A tenant's counts
 * are kept for ten minutes per process (storage moves slowly; a page of 50 large tenants costs a few hundred ms to
 * count), so paging and refreshing the console's list does not count again.
 */
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "@switchboard/db";
import { TtlCache } from "../../lib/ttl-cache";

/** The tables a tenant's bytes are in (the rest hold a few rows per tenant). */
export const storageTables = [
  "calls",
  "messages",
  "engagements",
  "engagement_events",
  "contacts",
  "contact_handles",
  "leads",
  "audit_log",
  "webhook_events",
  "webhook_deliveries",
  "email_outbox",
] as const;
type StorageTable = (typeof storageTables)[number];
export type RowCounts = Record<StorageTable, number>;

const counted = new TtlCache<RowCounts>({ ttlMs: 10 * 60_000, cap: 10_000 });

/**
 * The tenant's rows per table (counted in the tenant's scope: call it there), or this process's count of the last
 * ten minutes; `owner` keys the cache (the database handle).
 */
export async function tenantRowCounts(tx: Tx, owner: object, tenantId: string): Promise<RowCounts> {
  const cached = counted.get(owner, tenantId);
  if (cached) return cached;
  const counts = await countRows(tx, tenantId);
  counted.set(owner, tenantId, counts);
  return counts;
}

async function countRows(tx: Tx, tenantId: string): Promise<RowCounts> {
  const columns = storageTables.map(
    (t) => sql`(select count(*) from ${sql.identifier(t)} where tenant_id = ${tenantId}::uuid)::float8 as ${sql.identifier(t)}`,
  );
  const [row] = rowsOf<Record<StorageTable, number | string>>(await tx.execute(sql`select ${sql.join(columns, sql`, `)}`));
  return Object.fromEntries(storageTables.map((t) => [t, Number(row![t])])) as RowCounts;
}

interface TableSize {
  bytes: number;
  /** The planner's row count; < 1 when never analysed. */
  rows: number;
}

/** Each storage table's total size and row count, from the catalog (no table is read). */
export async function tableSizes(tx: Tx): Promise<Record<StorageTable, TableSize>> {
  const rows = rowsOf<{ name: StorageTable; bytes: number | string; rows: number | string }>(
    await tx.execute(sql`
      select c.relname as name, pg_total_relation_size(c.oid)::float8 as bytes, c.reltuples::float8 as rows
      from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and c.relname in ${[...storageTables]}`),
  );
  return Object.fromEntries(rows.map((r) => [r.name, { bytes: Number(r.bytes), rows: Number(r.rows) }])) as Record<StorageTable, TableSize>;
}

/** Bytes of each tenant, given the counts of every tenant on the page (the fallback divisor for unanalysed tables). */
export function estimateStorage(sizes: Record<StorageTable, TableSize>, counts: RowCounts, page: readonly RowCounts[]): number {
  let total = 0;
  for (const t of storageTables) {
    const size = sizes[t];
    if (!size || counts[t] === 0) continue;
    const rows = size.rows >= 1 ? size.rows : Math.max(1, page.reduce((n, c) => n + c[t], 0));
    total += (counts[t] * size.bytes) / rows;
  }
  return Math.round(total);
}
