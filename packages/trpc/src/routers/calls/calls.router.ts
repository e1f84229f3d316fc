import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAgentProcedure, tenantProcedure } from "../../procedures";
import { callIdInput, createCallInput, listCallsInput, updateCallInput } from "./calls.input";
import { createCall, getCall, listCalls, updateCall } from "./calls.service";

const audit = { audit: { resourceType: "call" } };

export const callsRouter = {
  list: tenantProcedure.input(listCallsInput).query(({ ctx, input }) => listCalls(ctx.tx, input)),
  get: tenantProcedure.input(callIdInput).query(({ ctx, input }) => getCall(ctx.tx, input.id)),
  create: tenantAgentProcedure
    .meta(audit)
    .input(createCallInput)
    .mutation(({ ctx, input }) => createCall(ctx.tx, ctx.tenant, input)),
  update: tenantAgentProcedure
    .meta(audit)
    .input(updateCallInput)
    .mutation(({ ctx, input }) => updateCall(ctx.tx, ctx.tenant, input)),
} satisfies TRPCRouterRecord;
