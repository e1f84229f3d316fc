import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAdminProcedure } from "../../procedures";
import { listAuditInput } from "./audit.input";
import { listAudit } from "./audit.service";

export const auditRouter = {
  list: tenantAdminProcedure.input(listAuditInput).query(({ ctx, input }) => listAudit(ctx.tx, input)),
} satisfies TRPCRouterRecord;
