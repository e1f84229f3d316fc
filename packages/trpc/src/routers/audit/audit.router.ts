import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAccessProcedure, tenantAdminProcedure } from "../../procedures";
import { issueAuditExport } from "./audit.export";
import { exportAuditInput, listAuditInput } from "./audit.input";
import { listAudit } from "./audit.service";

export const auditRouter = {
  list: tenantAdminProcedure.input(listAuditInput).query(({ ctx, input }) => listAudit(ctx.tx, input)),
  /** A signed link (15 minutes) to the filtered log as CSV; people only, audited. */
  export: tenantAccessProcedure
    .meta({ audit: { resourceType: "audit" } })
    .input(exportAuditInput)
    .mutation(({ ctx, input }) => issueAuditExport(ctx.auth.secrets, ctx.tenant.id, ctx.user.id, input)),
} satisfies TRPCRouterRecord;
