import type { TRPCRouterRecord } from "@trpc/server";
import { tenantProcedure } from "../../procedures";
import { effectiveFeatures } from "../tenant/tenant.service";
import { summaryInput, timeseriesInput } from "./analytics.input";
import { assertAnalytics, summary, timeseries } from "./analytics.service";

export const analyticsRouter = {
  summary: tenantProcedure.input(summaryInput).query(async ({ ctx, input }) => {
    assertAnalytics(await effectiveFeatures(ctx.tx, ctx.tenant));
    return summary(ctx.tx, ctx.tenant.id, input);
  }),
  timeseries: tenantProcedure.input(timeseriesInput).query(async ({ ctx, input }) => {
    assertAnalytics(await effectiveFeatures(ctx.tx, ctx.tenant));
    return timeseries(ctx.tx, ctx.tenant.id, input);
  }),
} satisfies TRPCRouterRecord;
