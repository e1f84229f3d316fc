import type { TRPCRouterRecord } from "@trpc/server";
import { withScope } from "@switchboard/db";
import { tenantUrl } from "../../lib/urls";
import { configOf } from "../../context";
import { accessProcedure, authedProcedure } from "../../procedures";
import { platformAdminProcedure } from "../platform/platform-admin";
import { allTenantsInput, createTenantInput, switchTenantInput } from "./tenants.input";
import { createTenant, findEnterableTenant, listAllTenants, listMyTenants } from "./tenants.service";

export const tenantsRouter = {
  list: authedProcedure.query(async ({ ctx }) => ({
    items: await withScope(ctx.db, { userId: ctx.user.id }, (tx) => listMyTenants(tx, ctx.user.id)),
  })),

  /** People only: an API key cannot create tenants. Audited by the service (there is no tenant procedure yet). */
  create: accessProcedure
    .input(createTenantInput)
    .mutation(({ ctx, input }) => {
      const { defaultTier, maxTenantsPerUser } = configOf(ctx);
      return createTenant(ctx.db, ctx.user, input, { request: ctx.request, defaultTier, maxTenantsPerUser });
    }),

  /** Every tenant, for platform admins with MFA (the "platform admins see every tenant" policy). */
  all: platformAdminProcedure
    .input(allTenantsInput)
    .query(({ ctx, input }) => withScope(ctx.db, { userId: ctx.user.id }, (tx) => listAllTenants(tx, input))),

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
