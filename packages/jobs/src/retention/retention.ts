/**
 * `retention.run` (daily) and `retention.tenant`: each tenant's `retention` setting (contract v2, privacy) removes
 * message bodies older than `messagesDays` (body '', `redactedAt` set) and call transcripts older than
 * `transcriptsDays`; the rows and their metadata stay. The tenants come from an owner function that answers ids only;
 * each tenant's work runs in its own scope, as the app role, a batch of `retentionBatchSize` rows per transaction.
 * The batches walk the partial indexes built for them (messages_tenant_retention_idx: bodies not yet removed;
 * calls_tenant_transcript_retention_idx: calls that still have a transcript), so a pass touches only what is due and
 * a tenant with nothing due costs two index probes (retention.test.ts checks the plans under RLS, as the app role).
 */
import { and, asc, eq, gte, inArray, isNotNull, isNull, lt, lte, sql } from "drizzle-orm";
import { calls, type DbHandle, messages, rowsOf, tenants, type Tx, withScope } from "@switchboard/db";
import { enqueue } from "../enqueue";

/** Rows per transaction: short locks, and a crash loses at most one batch's work (the next run redoes it). */
export const retentionBatchSize = 1000;

const dayMs = 86_400_000;

/** Tenants with a retention setting (owner function, migration 0024). */
export async function tenantsWithRetention(db: DbHandle): Promise<string[]> {
  return withScope(db, {}, async (tx) => rowsOf<{ id: string }>(await tx.execute(sql`select t as id from tenants_with_retention() as t`)).map((r) => r.id));
}

/** The scheduled job: one `retention.tenant` per tenant with a setting. */
export async function enqueueRetention(db: DbHandle): Promise<{ tenants: number }> {
  const tenantIds = await tenantsWithRetention(db);
  await withScope(db, {}, async (tx) => {
    for (const tenantId of tenantIds) await enqueue(tx, "retention.tenant", { tenantId });
  });
  return { tenants: tenantIds.length };
}

/**
 * A batch in two statements, each with a plan that stays on the partial index whatever the data: the due rows, oldest
 * first (the index's order: it stops after `limit` entries, however much of the table is due), then the update of
 * exactly those, bounded to their range of the same index. One UPDATE with the selection as an `id in (subquery)`
 * lets the planner hash-join it against every row of the tenant instead, once per batch (seen in retention.test.ts's
 * plans); by ids alone, it bitmap-scans the tenant's rows too.
 */
export async function messageBodiesBatch(tx: Tx, tenantId: string, before: Date, limit = retentionBatchSize): Promise<number> {
  const due = await dueMessageBodies(tx, tenantId, before, limit);
  if (due.length === 0) return 0;
  return (await removeMessageBodies(tx, tenantId, due)).length;
}

/** Removes the bodies of `due` (a batch from `dueMessageBodies`, oldest first), within their range of the index. */
export function removeMessageBodies(tx: Tx, tenantId: string, due: { id: string; at: Date }[]) {
  return tx
    .update(messages)
    .set({ body: "", redactedAt: sql`now()` })
    .where(
      and(
        eq(messages.tenantId, tenantId),
        isNull(messages.redactedAt),
        gte(messages.createdAt, due[0]!.at),
        lte(messages.createdAt, due.at(-1)!.at),
        inArray(messages.id, due.map((r) => r.id)),
      ),
    )
    .returning({ id: messages.id });
}

/** Bodies not yet removed, written before `before`, oldest first (messages_tenant_retention_idx). */
export function dueMessageBodies(tx: Tx, tenantId: string, before: Date, limit = retentionBatchSize) {
  return tx
    .select({ id: messages.id, at: messages.createdAt })
    .from(messages)
    .where(and(eq(messages.tenantId, tenantId), isNull(messages.redactedAt), lt(messages.createdAt, before)))
    .orderBy(asc(messages.createdAt))
    .limit(limit);
}

/** One batch of transcripts of calls started before `before` removed (as `messageBodiesBatch`). */
export async function transcriptsBatch(tx: Tx, tenantId: string, before: Date, limit = retentionBatchSize): Promise<number> {
  const due = await dueTranscripts(tx, tenantId, before, limit);
  if (due.length === 0) return 0;
  return (await removeTranscripts(tx, tenantId, due)).length;
}

/** Removes the transcripts of `due` (a batch from `dueTranscripts`, oldest first), within their range of the index. */
export function removeTranscripts(tx: Tx, tenantId: string, due: { id: string; at: Date }[]) {
  return tx
    .update(calls)
    .set({ transcript: null })
    .where(
      and(
        eq(calls.tenantId, tenantId),
        isNotNull(calls.transcript),
        gte(calls.startedAt, due[0]!.at),
        lte(calls.startedAt, due.at(-1)!.at),
        inArray(calls.id, due.map((r) => r.id)),
      ),
    )
    .returning({ id: calls.id });
}

/** Calls that still have a transcript, started before `before`, oldest first (calls_tenant_transcript_retention_idx). */
export function dueTranscripts(tx: Tx, tenantId: string, before: Date, limit = retentionBatchSize) {
  return tx
    .select({ id: calls.id, at: calls.startedAt })
    .from(calls)
    .where(and(eq(calls.tenantId, tenantId), isNotNull(calls.transcript), lt(calls.startedAt, before)))
    .orderBy(asc(calls.startedAt))
    .limit(limit);
}

/** Runs `batch` in transactions of its own until one finds fewer rows than a batch; answers the total. */
async function drain(db: DbHandle, tenantId: string, batch: (tx: Tx) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await withScope(db, { tenantId }, batch);
    total += n;
    if (n < retentionBatchSize) return total;
  }
}

/**
 * One tenant's retention, as its setting reads now (a setting removed since the job was queued removes nothing).
 * Answers what it removed: `{ messages, transcripts }`.
 */
export async function applyRetention(db: DbHandle, tenantId: string, now = new Date()): Promise<{ messages: number; transcripts: number }> {
  const [tenant] = await withScope(db, { tenantId }, (tx) => tx.select({ retention: tenants.retention }).from(tenants).where(eq(tenants.id, tenantId)));
  const { messagesDays, transcriptsDays } = tenant?.retention ?? {};
  const cutoff = (days: number) => new Date(now.getTime() - days * dayMs);
  return {
    messages: messagesDays ? await drain(db, tenantId, (tx) => messageBodiesBatch(tx, tenantId, cutoff(messagesDays))) : 0,
    transcripts: transcriptsDays ? await drain(db, tenantId, (tx) => transcriptsBatch(tx, tenantId, cutoff(transcriptsDays))) : 0,
  };
}
