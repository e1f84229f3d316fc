/**
 * Per-tenant transaction-scoped advisory locks: serialize the check-then-write sequences that enforce limits
 * (max agents, concurrent calls) and the writing of engagement events. Released at commit or rollback.
 */
import { sql } from "drizzle-orm";
import type { Tx } from "@switchboard/db";

/**
 * `tenants-created-by` is keyed by a user id: serialises one person's tenants.create calls (MAX_TENANTS_PER_USER).
 * `routing`: round-robin's count-then-assign (routers/availability/routing.ts), so no agent passes maxOpenPerAgent.
 */
export type LockPurpose = "agents" | "concurrent-calls" | "engagement-events" | "exports" | "routing" | "tenants-created-by";

export async function lockTenant(tx: Tx, purpose: LockPurpose, tenantId: string): Promise<void> {
  await tenantLock(tx, purpose, tenantId);
}

/** The lock statement itself, not yet sent (a caller that pipelines it sends it with `sendWithoutWaiting`). */
export function tenantLock(tx: Tx, purpose: LockPurpose, tenantId: string) {
  return tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`${purpose}:${tenantId}`}, 0))`);
}
