/**
 * The base procedures every domain router builds on, each composed of named middlewares that read top to bottom
 * as its steps. Edit here when a new kind of caller or a new cross-cutting rule appears (a new step is a middleware
 * in its own file); domain routers never do.
 */
import { auditMutation } from "./audit/audit-mutation";
import { auditRefusal } from "./audit/audit-refusal";
import { drawBudget } from "./budget/draw-budget";
import { settleBudget } from "./budget/settle-budget";
import { mapDomainErrors } from "./middlewares/map-domain-errors";
import { observeProcedure } from "./middlewares/observe-procedure";
import { peopleOnly } from "./middlewares/people-only";
import { rejectUnsafeText } from "./middlewares/reject-unsafe-text";
import { requireSession } from "./middlewares/require-session";
import { startLedger } from "./tenancy/ledger";
import { openTenantTransaction } from "./tenancy/open-tenant-transaction";
import { requireRole } from "./tenancy/require-role";
import { baseProcedure } from "./trpc";

/**
 * Anyone. 1. every call is timed and reported to `ctx.onProcedure` (/metrics); 2. a service's DomainError becomes
 * its tRPC code; 3. NUL or a lone surrogate anywhere in the raw input is BAD_REQUEST, before any schema or handler.
 */
export const publicProcedure = baseProcedure.use(observeProcedure).use(mapDomainErrors).use(rejectUnsafeText);

/**
 * A signed-in user (session cookie). Outside a tenant there is no procedure transaction: resolvers here (and on
 * `publicProcedure`, `accessProcedure`) pass `ctx.db` to services, which open their own scoped transactions
 * (`withScope`) because only they know which scope their policies need (the user's, an invitation's token…).
 */
export const authedProcedure = publicProcedure.use(requireSession);

/**
 * A caller (session user or API key) acting inside the request's tenant, in ONE transaction:
 * 1. `startLedger` (tenancy/ledger): the request's ledger in `ctx.ledger`, where the steps below note what they
 *    learn (tenant, key, budget drawn, lease claimed) for the steps that act after the transaction.
 * 2. `auditRefusal` (audit/): after a rollback, a refused mutation (FORBIDDEN, PRECONDITION_FAILED, NOT_FOUND)
 *    leaves one `denied` record, in a transaction of its own, once the tenant is known; outsiders' are capped.
 * 3. `settleBudget` (budget/): after the transaction, a lease it claimed is taken into use (commit), or a request
 *    that failed after admission without drawing still draws (rollback).
 * 4. `openTenantTransaction` (tenancy/): who is calling, which tenant, role, status and MFA rule, as the first
 *    statements of the transaction, scoped from its first statement (the known-tenant guess: one query admits);
 *    resolvers get `ctx.tx`, never the unscoped handle.
 * 5. `drawBudget` (budget/): a tenant seen spent is refused before the procedure; a subscription draws before its
 *    stream, anything else after the procedure (over budget: TOO_MANY_REQUESTS, all rolled back).
 * 6. `auditMutation` (audit/): a mutation's `success` record in the same transaction; `.meta({ audit: { resourceType } })`
 *    names the entity, `ctx.audit.resourceId` its id when neither result nor input carries it.
 */
export const tenantProcedure = publicProcedure
  .use(startLedger)
  .use(auditRefusal)
  .use(settleBudget)
  .use(openTenantTransaction)
  .use(drawBudget)
  .use(auditMutation);

/** Writes domain data: owner, admin, agent. */
export const tenantAgentProcedure = tenantProcedure.use(requireRole("agent"));
/** Manages members, keys, settings, AI agents: owner, admin. */
export const tenantAdminProcedure = tenantProcedure.use(requireRole("admin"));
/** Archives the tenant, changes owners. */
export const tenantOwnerProcedure = tenantProcedure.use(requireRole("owner"));

/** Manages access inside the tenant (members, invitations, API keys, settings): owner, admin; people only. */
export const tenantAccessProcedure = tenantAdminProcedure.use(peopleOnly);
/** Acts on the caller's own access in the tenant (leave): any role; people only. */
export const tenantPersonProcedure = tenantProcedure.use(peopleOnly);
/** Archives the tenant, changes owners; people only (a key never holds the owner role, and never will act as one). */
export const tenantOwnerAccessProcedure = tenantOwnerProcedure.use(peopleOnly);
/** Manages access outside any tenant (tenants.create): a signed-in person; an API key is FORBIDDEN, not UNAUTHORIZED. */
export const accessProcedure = publicProcedure.use(peopleOnly).use(requireSession);
