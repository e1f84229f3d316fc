import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAgentProcedure, tenantProcedure } from "../../procedures";
import {
  assignEngagementInput,
  createEngagementInput,
  engagementIdInput,
  listEngagementsInput,
  onEngagementEventInput,
  rateEngagementInput,
  setEngagementLabelsInput,
  setEngagementPriorityInput,
  updateEngagementStatusInput,
} from "./engagements.input";
import {
  assignEngagement,
  createEngagement,
  getEngagementWithSurvey,
  listEngagements,
  rateEngagement,
  setEngagementLabels,
  setEngagementPriority,
  updateEngagementStatus,
} from "./engagements.service";
import { csatLinksOf } from "../csat/csat.links";
import { openEngagementStream } from "./engagements.stream";

const audit = { audit: { resourceType: "engagement" } };

export const engagementsRouter = {
  list: tenantProcedure.input(listEngagementsInput).query(({ ctx, input }) => listEngagements(ctx.tx, input, ctx.user?.id ?? null)),
  get: tenantProcedure.input(engagementIdInput).query(({ ctx, input }) => getEngagementWithSurvey(ctx.tx, input.id, csatLinksOf(ctx))),
  create: tenantAgentProcedure
    .meta(audit)
    .input(createEngagementInput)
    .mutation(({ ctx, input }) => createEngagement(ctx.tx, ctx.tenant, input)),
  updateStatus: tenantAgentProcedure
    .meta(audit)
    .input(updateEngagementStatusInput)
    .mutation(({ ctx, input }) => updateEngagementStatus(ctx.tx, ctx.tenant, input, csatLinksOf(ctx))),
  assign: tenantAgentProcedure
    .meta(audit)
    .input(assignEngagementInput)
    .mutation(({ ctx, input }) => assignEngagement(ctx.tx, ctx.tenant, input)),
  rate: tenantAgentProcedure
    .meta(audit)
    .input(rateEngagementInput)
    .mutation(({ ctx, input }) => rateEngagement(ctx.tx, ctx.tenant, input)),
  setPriority: tenantAgentProcedure
    .meta(audit)
    .input(setEngagementPriorityInput)
    .mutation(({ ctx, input }) => setEngagementPriority(ctx.tx, ctx.tenant, input)),
  setLabels: tenantAgentProcedure
    .meta(audit)
    .input(setEngagementLabelsInput)
    .mutation(({ ctx, input }) => setEngagementLabels(ctx.tx, ctx.tenant, input)),
  /** Server-Sent Events: `{ type, engagement }` and `{ type: "message", engagementId, message }` for this tenant, from whichever replica made the change. */
  onEvent: tenantProcedure.input(onEngagementEventInput).subscription(({ ctx, input, signal }) =>
    openEngagementStream(
      ctx.tx,
      // The unscoped handle, not ctx.tx: the stream outlives this transaction, and its re-checks and catch-up reads
      // open short transactions of their own, scoped to the tenant (engagements.stream).
      { db: ctx.ledger.db, hub: ctx.events, tenant: ctx.tenant, user: ctx.user, sessionId: ctx.sessionId, apiKeyId: ctx.apiKeyId },
      input?.lastEventId,
      signal,
    ),
  ),
} satisfies TRPCRouterRecord;
