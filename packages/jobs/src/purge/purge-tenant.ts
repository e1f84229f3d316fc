/**
 * Archive → grace → purge (contract v2, privacy and data lifecycle). `purge.due` (hourly) asks the owner function
 * `tenants_due_for_purge()` (ids only: archived, grace over, departments first) and enqueues one `purge.tenant` each.
 * `purge.tenant` calls `purge_tenant_batch(tenant, n)` (migrations/0024) in SHORT transactions, one batch each: the
 * function deletes up to n rows of the first of the tenant's tables that still has rows (leaves first, so no cascade
 * makes a step long) and finally the tenant row. Between batches the job pauses briefly so other tenants' queries
 * interleave. Nothing is remembered between batches but the database itself: a crash, a retry or a second runner
 * simply continues where the rows end. The function refuses a tenant that is not archived past its grace period
 * (SQLSTATE 55000): restored meanwhile, or purged already, the job completes with nothing done.
 */
import { eq, sql } from "drizzle-orm";
import { type DbHandle, platformAudit, rowsOf, tenants, withScope } from "@switchboard/db";
import { enqueue } from "../enqueue";

export interface PurgeOptions {
  /** Rows per batch (one short transaction each). */
  batchSize?: number;
  /** Pause between batches, so the purge yields to other work. */
  pauseMs?: number;
  /** After this long the job hands the rest to a fresh `purge.tenant` job (well within the queue's expiry). */
  maxMs?: number;
}

export const purgeDefaults = { batchSize: 500, pauseMs: 5, maxMs: 10 * 60_000 };

export interface PurgeResult {
  tenantId: string;
  /** true: the tenant row is gone (this run finished it); false: handed on, or nothing to do. */
  purged: boolean;
  /** Rows deleted by this run, per table. */
  deleted: Record<string, number>;
  batches: number;
  ms: number;
  /** Why nothing was done (not archived past its grace period, or purged already). */
  skipped?: string;
  /** The time budget ran out: a new job continues. */
  continued?: boolean;
}

/** Tenants due for their purge (owner function; ids only). */
export async function tenantsDueForPurge(db: DbHandle): Promise<string[]> {
  return withScope(db, {}, async (tx) => {
    const rows = rowsOf<{ id: string }>(await tx.execute(sql`select t as id from tenants_due_for_purge() as t`));
    return rows.map((r) => r.id);
  });
}

/** `purge.due`: one `purge.tenant` job per tenant due. */
export async function enqueueDuePurges(db: DbHandle): Promise<{ tenants: number }> {
  const ids = await tenantsDueForPurge(db);
  if (ids.length > 0) {
    await withScope(db, {}, async (tx) => {
      for (const tenantId of ids) await enqueue(tx, "purge.tenant", { tenantId });
    });
  }
  return { tenants: ids.length };
}

const notDue = "not archived past its grace period";

function sqlState(err: unknown): { code?: string; message?: string } {
  let e = err as { cause?: unknown; code?: string; message?: string } | undefined;
  while (e?.cause && !e.code) e = e.cause as typeof e;
  return { code: e?.code, message: e?.message };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `purge.tenant`: deletes the tenant's rows batch by batch, then the tenant row; platform_audit records it. */
export async function purgeTenant(db: DbHandle, tenantId: string, options: PurgeOptions = {}): Promise<PurgeResult> {
  const { batchSize, pauseMs, maxMs } = { ...purgeDefaults, ...options };
  const started = Date.now();
  const deleted: Record<string, number> = {};
  let batches = 0;
  const result = (extra: Partial<PurgeResult>): PurgeResult => ({ tenantId, purged: false, deleted, batches, ms: Date.now() - started, ...extra });
  // Named in the audit entry: the row is gone by then.
  const [named] = await withScope(db, { tenantId }, (tx) =>
    tx.select({ slug: tenants.slug, name: tenants.name, parentId: tenants.parentId }).from(tenants).where(eq(tenants.id, tenantId)),
  );
  for (;;) {
    let step: { table_name: string; deleted: number };
    try {
      step = await withScope(db, {}, async (tx) => {
        const [row] = rowsOf<{ table_name: string; deleted: number }>(
          await tx.execute(sql`select table_name, deleted from purge_tenant_batch(${tenantId}::uuid, ${batchSize}::int)`),
        );
        if (row!.table_name === "tenants") {
          // With the tenant row's deletion, in its transaction: purged exactly when recorded.
          await tx.insert(platformAudit).values({
            actorId: null,
            actorLabel: "system",
            action: "tenant.purged",
            targetTenantId: tenantId,
            details: { slug: named?.slug ?? null, name: named?.name ?? null, parentId: named?.parentId ?? null, deleted: { ...deleted, tenants: 1 }, batches: batches + 1 },
          });
        }
        return row!;
      });
    } catch (err) {
      const e = sqlState(err);
      // Restored meanwhile, or purged already: nothing to do. (A department still left is retried: it goes first.)
      if (e.code === "55000" && e.message?.includes(notDue)) return result({ skipped: notDue });
      throw err;
    }
    batches += 1;
    deleted[step.table_name] = (deleted[step.table_name] ?? 0) + step.deleted;
    if (step.table_name === "tenants") return result({ purged: true });
    if (Date.now() - started > maxMs) {
      await withScope(db, {}, (tx) => enqueue(tx, "purge.tenant", { tenantId }));
      return result({ continued: true });
    }
    if (pauseMs > 0) await sleep(pauseMs);
  }
}
