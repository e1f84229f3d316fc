import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAdminProcedure, tenantProcedure } from "../../procedures";
import { createLabelInput, labelIdInput, listLabelsInput, updateLabelInput } from "./labels.input";
import { createLabel, deleteLabel, listLabels, updateLabel } from "./labels.service";

const audit = { audit: { resourceType: "label" } };

export const labelsRouter = {
  list: tenantProcedure.input(listLabelsInput).query(({ ctx, input }) => listLabels(ctx.tx, input)),
  create: tenantAdminProcedure
    .meta(audit)
    .input(createLabelInput)
    .mutation(({ ctx, input }) => createLabel(ctx.tx, ctx.tenant.id, input)),
  update: tenantAdminProcedure
    .meta(audit)
    .input(updateLabelInput)
    .mutation(({ ctx, input }) => updateLabel(ctx.tx, input)),
  delete: tenantAdminProcedure
    .meta(audit)
    .input(labelIdInput)
    .mutation(({ ctx, input }) => deleteLabel(ctx.tx, input.id)),
} satisfies TRPCRouterRecord;
