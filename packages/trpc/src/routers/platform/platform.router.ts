import type { TRPCRouterRecord } from "@trpc/server";
import { platformAdminProcedure } from "./platform-admin";
import { listPlatformTenantsInput, setPlanInput } from "./platform.input";
import { listPlatformTenants, setPlan } from "./platform.service";

/** The platform console's procedures (platform admins with MFA): `platform.tenants.list`, `platform.tenants.setPlan`. */
export const platformRouter = {
  tenants: {
    list: platformAdminProcedure
      .input(listPlatformTenantsInput)
      .query(({ ctx, input }) => listPlatformTenants(ctx.db, ctx.user, input)),

    /** The only way a tenant's tier, seats, features beyond the tier and request budget change. */
    setPlan: platformAdminProcedure
      .input(setPlanInput)
      .mutation(({ ctx, input }) => setPlan(ctx.db, ctx.user, input, ctx.request)),
  },
} satisfies TRPCRouterRecord;
