/**
 * The budget after the procedure's transaction has ended. Committed: the lease it claimed (ledger.claimed) is taken
 * into use. Failed after admission without drawing: the request still draws (from the lease, else in a short
 * transaction of its own), so failing requests are not free.
 */
import { withScope } from "@switchboard/db";
import { seenScope, type TenantLedger } from "../tenancy/ledger";
import { middlewareOn } from "../trpc";
import { claimRequestBudget } from "./claim";
import { addLease, takeLeased } from "./leases";
import { markBudgetSpent } from "./spent-windows";

export const settleBudget = middlewareOn<{ ledger: TenantLedger }>()(async function settleBudget({
  ctx,
  next,
}) {
  const result = await next();
  const { ledger } = ctx;
  const seen = ledger.seen;
  if (!seen) return result;
  const tenant = seen.tenant;
  if (result.ok) {
    if (ledger.claimed) addLease(ledger.db, tenant.id, ledger.claimed);
  } else if (ledger.admitted && !ledger.drawn && !takeLeased(ledger.db, tenant.id)) {
    await withScope(ledger.db, seenScope(seen), (tx) => claimRequestBudget(tx, tenant)).then(
      (lease) => (lease ? addLease(ledger.db, tenant.id, lease) : markBudgetSpent(ledger.db, tenant.id)),
      () => undefined,
    );
  }
  return result;
});
