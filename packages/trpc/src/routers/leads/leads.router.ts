import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAgentProcedure, tenantProcedure } from "../../procedures";
import { createLeadInput, leadIdInput, listLeadsInput, updateLeadInput } from "./leads.input";
import { createLead, deleteLead, getLead, listLeads, updateLead } from "./leads.service";

const audit = { audit: { resourceType: "lead" } };

export const leadsRouter = {
  list: tenantProcedure.input(listLeadsInput).query(({ ctx, input }) => listLeads(ctx.tx, input)),
  get: tenantProcedure.input(leadIdInput).query(({ ctx, input }) => getLead(ctx.tx, input.id)),
  create: tenantAgentProcedure
    .meta(audit)
    .input(createLeadInput)
    .mutation(({ ctx, input }) => createLead(ctx.tx, ctx.tenant, input)),
  update: tenantAgentProcedure
    .meta(audit)
    .input(updateLeadInput)
    .mutation(({ ctx, input }) => updateLead(ctx.tx, input)),
  delete: tenantAgentProcedure
    .meta(audit)
    .input(leadIdInput)
    .mutation(({ ctx, input }) => deleteLead(ctx.tx, input.id)),
} satisfies TRPCRouterRecord;
