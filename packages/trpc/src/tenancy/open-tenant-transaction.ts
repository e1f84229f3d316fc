/**
 * Step one inside a tenant procedure: ONE transaction for the whole call, scoped from its first statement to the
 * known tenant when this process has seen the caller's slug or key (tenancy/known-tenants), where one query admits
 * (tenancy/admit). The steps after it and the procedure run in it; `next()` does not throw, so a failed result is
 * rethrown here to roll everything back.
 *
 * Resolvers get `ctx.tx`, the tenant, their role and who they are; `ctx.db` is taken away from them (undefined),
 * so nothing in a procedure reaches past the tenant's scope by accident.
 */
import { type Role, withScope } from "@switchboard/db";
import type { Context } from "../context";
import { middlewareOn } from "../trpc";
import { admit } from "./admit";
import { presented } from "./caller";
import { guessedScope } from "./known-tenants";
import type { TenantLedger } from "./ledger";

export const openTenantTransaction = middlewareOn<Context & { ledger: TenantLedger }>()(
  async function openTenantTransaction({ ctx, next }) {
    const { ledger } = ctx;
    const caller = presented(ctx);
    const first = guessedScope(ctx.db, caller);
    return withScope(ctx.db, first, async (tx) => {
      const { tenant, key, role } = await admit(tx, ctx, caller, first, ledger);
      ledger.admitted = true;
      ctx.onAdmitted?.({ tenantId: tenant.id, userId: caller.kind === "user" ? caller.user.id : null, apiKeyId: key?.id ?? null });
      const result = await next({
        ctx: {
          tx,
          db: undefined,
          tenant,
          // A platform admin without a membership acts as the owner.
          role: role ?? ("owner" as Role),
          user: caller.kind === "user" ? caller.user : null,
          apiKeyId: key?.id ?? null,
        },
      });
      if (!result.ok) throw result.error;
      return result;
    });
  },
);
