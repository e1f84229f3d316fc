/**
 * The per-tenant request budget: fixed one-minute windows counted in `request_budgets`, so every API replica
 * draws from the same budget. A process does not write the counter per request: it LEASES a chunk of the
 * window's budget (`claimRequestBudget`: up to `leaseChunk` requests, never past the tier's limit, so the counter
 * never exceeds it) and serves requests from that lease in memory (`takeLeased`) until it is used up or the
 * window ends. Exact within one process; across replicas, at most the unused part of each replica's lease
 * (< `leaseChunk` requests per replica and tenant) is lost per minute, i.e. a tenant may be refused slightly
 * before the shared counter's limit when it is spread over several replicas, never admitted beyond it.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import { requestBudgets, type Tenant, tierDefaults, type Tx } from "@switchboard/db";

/** Requests claimed from the shared counter at a time. */
export const leaseChunk = 50;

export interface Lease {
  /** End of the window (ms since epoch, database clock) the lease belongs to. */
  until: number;
  remaining: number;
}

/** Per database handle: tenant id → this process's unused lease. */
const leases = new WeakMap<object, Map<string, Lease>>();

/** Draws one request from this process's lease for the tenant; false when there is none (claim first). */
export function takeLeased(owner: object, tenantId: string): boolean {
  const lease = leases.get(owner)?.get(tenantId);
  if (!lease) return false;
  if (Date.now() >= lease.until || lease.remaining <= 0) {
    leases.get(owner)!.delete(tenantId);
    return false;
  }
  lease.remaining--;
  return true;
}

/** Adds what a committed claim granted beyond the request that claimed it. */
export function addLease(owner: object, tenantId: string, claim: Lease) {
  if (claim.remaining <= 0 || Date.now() >= claim.until) return;
  let map = leases.get(owner);
  if (!map) leases.set(owner, (map = new Map()));
  const lease = map.get(tenantId);
  if (lease && lease.until === claim.until) lease.remaining += claim.remaining;
  else map.set(tenantId, { ...claim });
}

/**
 * Claims up to `leaseChunk` requests of the current window from the shared counter (row locked until the
 * transaction ends): null when the budget is spent, else the lease beyond this request (`remaining` = granted − 1).
 * Only take it into use (`addLease`) once the transaction has committed.
 */
export async function claimRequestBudget(tx: Tx, tenant: Pick<Tenant, "id" | "tier" | "requestsPerMinute">): Promise<Lease | null> {
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
    await tx
      .delete(requestBudgets)
      .where(
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
