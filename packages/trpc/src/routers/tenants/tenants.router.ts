import type { TRPCRouterRecord } from "@trpc/server";
import { withScope } from "@switchboard/db";
import { tenantUrl } from "../../lib/urls";
import { authedProcedure } from "../../trpc";
import { forbidden } from "../../errors";
import { allTenantsInput, createTenantInput, switchTenantInput } from "./tenants.input";
import { createTenant, findEnterableTenant, listAllTenants, listMyTenants } from "./tenants.service";

export const tenantsRouter = {
  list: authedProcedure.query(async ({ ctx }) => ({
    items: await withScope(ctx.db, { userId: ctx.user.id }, (tx) => listMyTenants(tx, ctx.user.id)),
  })),

  create: authedProcedure
    .meta({ audit: { resourceType: "tenant" } })
    .input(createTenantInput)
    .mutation(({ ctx, input }) => createTenant(ctx.db, ctx.user, input, ctx.request)),

  /** Every tenant, for platform admins (the "platform admins see every tenant" policy). */
  all: authedProcedure.input(allTenantsInput).query(({ ctx, input }) => {
    if (!ctx.user.isPlatformAdmin) throw forbidden("Only platform admins can list every tenant");
    return withScope(ctx.db, { userId: ctx.user.id }, (tx) => listAllTenants(tx, input));
  }),

  /**
   * Moves the caller to another tenant's subdomain without asking for the password again: the returned URL
   * carries a single-use, 60-second hand-off token that the target host exchanges for its own session cookie.
   */
  switch: authedProcedure.input(switchTenantInput).mutation(async ({ ctx, input }) => {
    const tenant = await withScope(ctx.db, { userId: ctx.user.id }, (tx) =>
      findEnterableTenant(tx, ctx.user.id, input.tenantId),
    );
    const token = await ctx.auth.createHandoff(ctx.user.id, tenant.id);
    return { slug: tenant.slug, url: tenantUrl(ctx, tenant.slug, `/auth/handoff?token=${encodeURIComponent(token)}`) };
  }),
} satisfies TRPCRouterRecord;
