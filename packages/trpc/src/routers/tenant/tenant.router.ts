import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAccessProcedure, tenantOwnerAccessProcedure, tenantProcedure } from "../../procedures";
import { archiveTenantInput, listChildrenInput, updateTenantInput } from "./tenant.input";
import { listChildren, tenantView, updateTenant } from "./tenant.service";
import { archiveTenant } from "./archive.service";
import { tenantUsage } from "./usage.service";
import { configOf } from "../../context";
import { tenantUrl } from "../../lib/urls";

const audit = { audit: { resourceType: "tenant" } };

export const tenantRouter = {
  /** The tenant, and the grace period tenant.archive would start (days until its data is purged). */
  current: tenantProcedure.query(async ({ ctx }) => ({
    ...(await tenantView(ctx.tx, ctx.tenant)),
    archiveGraceDays: configOf(ctx).archiveGraceDays,
  })),

  /** Limits against usage: seats, agents, the request budget this minute. */
  usage: tenantProcedure.query(({ ctx }) => tenantUsage(ctx.tx, ctx.tenant)),

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
      return archiveTenant(ctx.tx, ctx.tenant, input, {
        graceDays: configOf(ctx).archiveGraceDays,
        by: ctx.user,
        link: tenantUrl(ctx, ctx.tenant.slug),
      });
    }),
} satisfies TRPCRouterRecord;
