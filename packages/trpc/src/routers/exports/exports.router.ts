import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAccessProcedure, tenantAdminProcedure } from "../../procedures";
import { createExportInput, exportIdInput, listExportsInput } from "./exports.input";
import { createExport, issueDownload, listExports } from "./exports.service";

const audit = { audit: { resourceType: "export" } };

// Admins list (an admin key too); creating and downloading hand out the tenant's data: people only.

export const exportsRouter = {
  list: tenantAdminProcedure.input(listExportsInput).query(({ ctx, input }) => listExports(ctx.tx, input)),
  create: tenantAccessProcedure
    .meta(audit)
    .input(createExportInput)
    .mutation(({ ctx, input }) => createExport(ctx.tx, ctx.tenant.id, ctx.user, input)),
  download: tenantAccessProcedure
    .meta(audit)
    .input(exportIdInput)
    .mutation(({ ctx, input }) => issueDownload(ctx.tx, ctx.auth.secrets, ctx.tenant.id, ctx.user.id, input.id)),
} satisfies TRPCRouterRecord;
