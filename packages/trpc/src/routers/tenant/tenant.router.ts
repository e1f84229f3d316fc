import type { TRPCRouterRecord } from "@trpc/server";
import { tenantProcedure } from "../../trpc";
import { tenantView } from "./tenant.service";

export const tenantRouter = {
  current: tenantProcedure.query(({ ctx }) => tenantView(ctx.tx, ctx.tenant)),
} satisfies TRPCRouterRecord;
