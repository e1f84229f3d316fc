import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAccessProcedure, tenantOwnerAccessProcedure, tenantProcedure } from "../../procedures";
import { archiveTenantInput, listChildrenInput, updateTenantInput } from "./tenant.input";
import { archiveTenant, listChildren, tenantView, updateTenant } from "./tenant.service";

const audit = { audit: { resourceType: "tenant" } };

export const tenantRouter = {
  current: tenantProcedure.query(({ ctx }) => tenantView(ctx.tx, ctx.tenant)),

  /** Departments of the current tenant. */
  children: tenantProcedure.input(listChildrenInput).query(({ ctx, input }) => listChildren(ctx.tx, ctx.tenant, input)),

  update: tenantAccessProcedure
    .meta(audit)
    .input(updateTenantInput)
    .mutation(({ ctx, input }) => updateTenant(ctx.tx, ctx.tenant, input, { mfaEnabled: ctx.user.mfaEnabled, role: ctx.role })),

  archive: tenantOwnerAccessProcedure
    .meta(audit)
    .input(archiveTenantInput)
    .mutation(({ ctx, input }) => {
      ctx.audit.resourceId = ctx.tenant.id;
      return archiveTenant(ctx.tx, ctx.tenant, input);
    }),
} satisfies TRPCRouterRecord;
