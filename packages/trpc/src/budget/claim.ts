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
  // Creates the window's row or locks the existing one, reading its current count either way.
  const [row] = await tx
    .insert(requestBudgets)
    .values({ tenantId: tenant.id, windowStart: sql`date_trunc('minute', now())`, count: 0 })
    .onConflictDoUpdate({
      target: [requestBudgets.tenantId, requestBudgets.windowStart],
      set: { count: sql`${requestBudgets.count}` },
    })
    .returning({ count: requestBudgets.count, windowStart: requestBudgets.windowStart });
  const { count, windowStart } = row!;
  if (count === 0) {
    await tx.delete(requestBudgets).where(
      and(
        eq(requestBudgets.tenantId, tenant.id),
        // An hour of windows stays: platform.tenants.list reports requests in the last hour from them.
        lt(requestBudgets.windowStart, sql`now() - interval '61 minutes'`),
      ),
    );
  }
  const grant = Math.min(leaseChunk, limit - count);
  if (grant <= 0) return null;
  await tx
    .update(requestBudgets)
    .set({ count: sql`${requestBudgets.count} + ${grant}` })
    .where(and(eq(requestBudgets.tenantId, tenant.id), eq(requestBudgets.windowStart, windowStart)));
  return { until: windowStart.getTime() + 60_000, remaining: grant - 1 };
}
