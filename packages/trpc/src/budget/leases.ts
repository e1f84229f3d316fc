/**
 * This process's unused leases of tenants' request budgets (budget/claim): tenant id → the requests it may still
 * serve in the lease's window without touching the shared counter. A lease expires with its window; past the
 * cap, the oldest lease is dropped, which only makes its tenant claim again (never admits beyond the budget).
 */
import { TtlCache } from "../lib/ttl-cache";

export interface Lease {
  /** End of the window (ms since epoch, database clock) the lease belongs to. */
  until: number;
  remaining: number;
}

const leases = new TtlCache<Lease>({ ttlMs: 60_000, cap: 10_000 });

/** Draws one request from this process's lease for the tenant; false when there is none (claim first). */
export function takeLeased(db: object, tenantId: string): boolean {
  const lease = leases.get(db, tenantId);
  if (!lease) return false;
  if (lease.remaining <= 0) {
    leases.delete(db, tenantId);
    return false;
  }
  lease.remaining--;
  return true;
}

/** Adds what a committed claim granted beyond the request that claimed it. */
export function addLease(db: object, tenantId: string, claim: Lease): void {
  if (claim.remaining <= 0 || Date.now() >= claim.until) return;
  const lease = leases.get(db, tenantId);
  if (lease && lease.until === claim.until) lease.remaining += claim.remaining;
  else leases.set(db, tenantId, { ...claim }, claim.until);
}
