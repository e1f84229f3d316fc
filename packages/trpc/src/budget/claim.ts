/**
 * The per-tenant request budget: fixed one-minute windows counted in `request_budgets`, so every API replica
 * draws from the same budget. A process does not write the counter per request: it LEASES a chunk of the
 * window's budget (`claimRequestBudget`: up to `leaseChunk` requests, never past the tier's limit, so the counter
 * never exceeds it) and serves requests from that lease in memory (budget/leases) until it is used up or the
 * window ends. Exact within one process; across replicas, at most the unused part of each replica's lease
 * (< `leaseChunk` requests per replica and tenant) is lost per minute, i.e. a tenant may be refused slightly
 * before the shared counter's limit when it is spread over several replicas, never admitted beyond it.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import { requestBudgets, type Tenant, tierDefaults, type Tx } from "@switchboard/db";
import type { Lease } from "./leases";

/** Requests claimed from the shared counter at a time. */
export const leaseChunk = 50;

/**
 * Claims up to `leaseChunk` requests of the current window from the shared counter (row locked until the
 * transaction ends): null when the budget is spent, else the lease beyond this request (`remaining` = granted − 1).
 * Only take it into use (`addLease`, budget/leases) once the transaction has committed.
 */
export async function claimRequestBudget(
  tx: Tx,
  tenant: Pick<Tenant, "id" | "tier" | "requestsPerMinute">,
): Promise<Lease | null> {
  // The platform's figure (platform.tenants.setPlan) when it set one, else the tier's.
  const limit = tenant.requestsPerMinute ?? tierDefaults[tenant.tier].requestsPerMinute;
  const window = sql`date_trunc('minute', now())`; // now(): the transaction's start, the same in all three
  // Three statements in one round trip (issued together, run in order: the claim is on the hot path of the first
  // request of every tenant and minute in each process). 1. creates the window's row or locks the existing one,
  // reading the count before this claim; 2. adds the grant, least(chunk, limit − count), computed from the locked
  // row (the same figure as `grant` below); 3. drops windows older than an hour (platform.tenants.list reports
  // requests in the last hour from them).
  const [[row]] = await Promise.all([
    tx
      .insert(requestBudgets)
      .values({ tenantId: tenant.id, windowStart: window, count: 0 })
      .onConflictDoUpdate({
        target: [requestBudgets.tenantId, requestBudgets.windowStart],
        set: { count: sql`${requestBudgets.count}` },
      })
      .returning({ count: requestBudgets.count, windowStart: requestBudgets.windowStart }),
    tx
      .update(requestBudgets)
      .set({ count: sql`${requestBudgets.count} + least(${leaseChunk}::int, ${limit}::int - ${requestBudgets.count})` })
      .where(
        and(
          eq(requestBudgets.tenantId, tenant.id),
          eq(requestBudgets.windowStart, window),
          lt(requestBudgets.count, limit),
        ),
      ),
    tx
      .delete(requestBudgets)
      .where(and(eq(requestBudgets.tenantId, tenant.id), lt(requestBudgets.windowStart, sql`now() - interval '61 minutes'`))),
  ]);
  const { count, windowStart } = row!;
  const grant = Math.min(leaseChunk, limit - count);
  if (grant <= 0) return null;
  return { until: windowStart.getTime() + 60_000, remaining: grant - 1 };
}
