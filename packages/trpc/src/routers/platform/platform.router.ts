import type { TRPCRouterRecord } from "@trpc/server";
import { platformAdminProcedure } from "./platform-admin";
import {
  listPlatformTenantsInput,
  platformAuditInput,
  setPlanInput,
  suspendTenantInput,
  tenantAuditInput,
  tenantIdInput,
} from "./platform.input";
import { getPlatformTenant, listPlatformTenants, setPlan } from "./platform.service";
import { restoreTenant, suspendTenant } from "./lifecycle.service";
import { listPlatformAudit, listTenantAuditForPlatform } from "./platform-audit.service";

/**
 * The platform console's procedures (platform admins with MFA; people only). Every change is recorded in the
 * tenant's own audit log and in the platform's (`platform.audit`).
 */
export const platformRouter = {
  tenants: {
    list: platformAdminProcedure
      .input(listPlatformTenantsInput)
      .query(({ ctx, input }) => listPlatformTenants(ctx.db, ctx.user, input)),

    get: platformAdminProcedure.input(tenantIdInput).query(({ ctx, input }) => getPlatformTenant(ctx.db, ctx.user, input.tenantId)),

    /** The only way a tenant's tier, seats, features beyond the tier and request budget change. */
    setPlan: platformAdminProcedure
      .input(setPlanInput)
      .mutation(({ ctx, input }) => setPlan(ctx.db, ctx.user, input, ctx.request)),

    suspend: platformAdminProcedure
      .input(suspendTenantInput)
      .mutation(({ ctx, input }) => suspendTenant(ctx.db, ctx.user, input, ctx.request)),

    /** Suspended → active; archived within its grace period → as it was. */
    restore: platformAdminProcedure
      .input(tenantIdInput)
      .mutation(({ ctx, input }) => restoreTenant(ctx.db, ctx.user, input, ctx.request)),

    /** The tenant's own audit log (what its admins see in audit.list). */
    audit: platformAdminProcedure
      .input(tenantAuditInput)
      .query(({ ctx, input }) => listTenantAuditForPlatform(ctx.db, ctx.user, input)),
  },

  /** The platform's log: plan changes, suspensions, restores, purges. */
  audit: platformAdminProcedure.input(platformAuditInput).query(({ ctx, input }) => listPlatformAudit(ctx.db, ctx.user, input)),
} satisfies TRPCRouterRecord;
