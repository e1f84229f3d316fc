/**
 * The per-tenant request budget: fixed one-minute windows counted in `request_budgets`, so every API replica
 * draws from the same budget. Runs in its own short transaction (see tenantProcedure), because the upsert locks
 * the window's row until commit and would otherwise serialise all of a tenant's requests.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import { requestBudgets, type Tenant, tierDefaults, type Tx } from "@switchboard/db";

/** Counts one request; false when the tenant's tier budget for this minute is spent. */
export async function consumeRequestBudget(tx: Tx, tenant: Pick<Tenant, "id" | "tier">): Promise<boolean> {
  const [row] = await tx
    .insert(requestBudgets)
    .values({ tenantId: tenant.id, windowStart: sql`date_trunc('minute', now())`, count: 1 })
    .onConflictDoUpdate({
      target: [requestBudgets.tenantId, requestBudgets.windowStart],
      set: { count: sql`${requestBudgets.count} + 1` },
    })
    .returning({ count: requestBudgets.count });
  if (row!.count === 1) {
    await tx
      .delete(requestBudgets)
      .where(and(eq(requestBudgets.tenantId, tenant.id), lt(requestBudgets.windowStart, sql`now() - interval '5 minutes'`)));
  }
  return row!.count <= tierDefaults[tenant.tier].requestsPerMinute;
}
