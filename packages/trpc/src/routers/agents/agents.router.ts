import type { TRPCRouterRecord } from "@trpc/server";
import { configOf } from "../../context";
import { tenantAdminProcedure, tenantProcedure } from "../../procedures";
import { agentIdInput, createAgentInput, listAgentsInput, updateAgentInput } from "./agents.input";
import { createAgent, deleteAgent, getAgent, listAgents, updateAgent } from "./agents.service";

const audit = { audit: { resourceType: "agent" } };

export const agentsRouter = {
  list: tenantProcedure.input(listAgentsInput).query(({ ctx, input }) => listAgents(ctx.tx, input)),
  get: tenantProcedure.input(agentIdInput).query(({ ctx, input }) => getAgent(ctx.tx, input.id)),
  create: tenantAdminProcedure
    .meta(audit)
    .input(createAgentInput)
    .mutation(({ ctx, input }) => createAgent(ctx.tx, ctx.tenant, input, configOf(ctx))),
  update: tenantAdminProcedure
    .meta(audit)
    .input(updateAgentInput)
    .mutation(({ ctx, input }) => updateAgent(ctx.tx, ctx.tenant, input, configOf(ctx))),
  delete: tenantAdminProcedure
    .meta(audit)
    .input(agentIdInput)
    .mutation(({ ctx, input }) => deleteAgent(ctx.tx, ctx.tenant, input.id)),
} satisfies TRPCRouterRecord;
