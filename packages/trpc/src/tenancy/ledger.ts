/**
 * The request's ledger (`ctx.ledger`): what the steps of a tenant procedure learn, for the steps that act after its
 * transaction has ended (budget/settle-budget, audit/audit-refusal). One small object per request, created first
 * (procedures.ts), written by the steps inside the transaction.
 */
import type { AuthUser } from "@switchboard/auth";
import type { ApiKey, DbHandle, Scope, Tenant } from "@switchboard/db";
import type { AuditNote } from "../audit/resource-id";
import type { Lease } from "../budget/leases";
import { middleware } from "../trpc";

export interface TenantLedger {
  /**
   * The unscoped handle the request's transactions come from: the plumbing's caches are kept per handle, and the
   * steps after the transaction open their own on it. Resolvers work on `ctx.tx`; one that needs this handle
   * (a stream outliving its transaction) says why where it reads it.
   */
  readonly db: DbHandle;
  /** Who calls in which tenant, as soon as admission knows the tenant: a refused mutation is audited from then on. */
  seen: { tenant: Tenant; key: ApiKey | null; user: AuthUser | null } | null;
  /** Admission passed: the request draws from the tenant's budget, even when it fails later. */
  admitted: boolean;
  /** The request drew from the budget, or was refused before it needed to. */
  drawn: boolean;
  /** A lease claimed in the procedure's transaction: taken into use only once that transaction has committed. */
  claimed: Lease | null;
  /** What the procedure adds to its audit record (`ctx.audit`). */
  note: AuditNote;
}

export const startLedger = middleware(function startLedger({ ctx, next }) {
  const ledger: TenantLedger = {
    db: ctx.db,
    seen: null,
    admitted: false,
    drawn: false,
    claimed: null,
    note: {},
  };
  return next({ ctx: { ledger } });
});

/** The scope of a transaction the plumbing opens on its own once the procedure's has ended (budget, audit). */
export function seenScope(seen: NonNullable<TenantLedger["seen"]>): Scope {
  return { tenantId: seen.tenant.id, parentTenantId: seen.tenant.parentId, userId: seen.user?.id ?? null };
}
