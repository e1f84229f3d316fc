/**
 * The tenant's request budget, inside the procedure's transaction, after admission (callers without access draw
 * nothing). A tenant this process saw spent is refused before the procedure runs. A subscription draws before its
 * stream opens; anything else after the procedure, so a request over budget rolls back with its procedure and is
 * TOO_MANY_REQUESTS, and this process then refuses the tenant's requests until the minute ends.
 *
 * The draw comes from this process's lease (budget/leases); only when that is used up does the transaction claim
 * the next chunk from the shared counter (budget/claim: the row is locked from that claim to the commit only, so a
 * tenant's requests never queue behind each other's procedures). The claimed lease waits in the ledger until the
 * commit (budget/settle-budget).
 */
import type { Tenant, Tx } from "@switchboard/db";
import type { TenantLedger } from "../tenancy/ledger";
import { middlewareOn } from "../trpc";
import { claimRequestBudget } from "./claim";
import { takeLeased } from "./leases";
import { budgetSpent, budgetSpentError, markBudgetSpent } from "./spent-windows";

async function draw(tx: Tx, tenant: Tenant, ledger: TenantLedger): Promise<void> {
  ledger.drawn = true;
  if (takeLeased(ledger.db, tenant.id)) return;
  const lease = await claimRequestBudget(tx, tenant);
  if (!lease) {
    markBudgetSpent(ledger.db, tenant.id);
    throw budgetSpentError();
  }
  ledger.claimed = lease;
}

export const drawBudget = middlewareOn<{ ledger: TenantLedger; tx: Tx; tenant: Tenant }>()(
  async function drawBudget({ ctx, type, next }) {
    const { ledger, tx, tenant } = ctx;
    if (budgetSpent(ledger.db, tenant.id)) {
      ledger.drawn = true; // refused without drawing, as an over-budget request always was
      throw budgetSpentError();
    }
    if (type === "subscription") await draw(tx, tenant, ledger);
    const result = await next();
    if (result.ok && !ledger.drawn) await draw(tx, tenant, ledger);
    return result;
  },
);
