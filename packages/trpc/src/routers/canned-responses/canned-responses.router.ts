import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAdminProcedure, tenantProcedure } from "../../procedures";
import {
  cannedResponseIdInput,
  createCannedResponseInput,
  listCannedResponsesInput,
  updateCannedResponseInput,
} from "./canned-responses.input";
import { createCannedResponse, deleteCannedResponse, listCannedResponses, updateCannedResponse } from "./canned-responses.service";

const audit = { audit: { resourceType: "cannedResponse" } };

export const cannedResponsesRouter = {
  list: tenantProcedure.input(listCannedResponsesInput).query(({ ctx, input }) => listCannedResponses(ctx.tx, input)),
  create: tenantAdminProcedure
    .meta(audit)
    .input(createCannedResponseInput)
    .mutation(({ ctx, input }) => createCannedResponse(ctx.tx, ctx.tenant.id, input)),
  update: tenantAdminProcedure
    .meta(audit)
    .input(updateCannedResponseInput)
    .mutation(({ ctx, input }) => updateCannedResponse(ctx.tx, input)),
  delete: tenantAdminProcedure
    .meta(audit)
    .input(cannedResponseIdInput)
    .mutation(({ ctx, input }) => deleteCannedResponse(ctx.tx, input.id)),
} satisfies TRPCRouterRecord;
