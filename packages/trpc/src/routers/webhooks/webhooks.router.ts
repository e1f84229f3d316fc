import type { TRPCRouterRecord } from "@trpc/server";
import { configOf } from "../../context";
import { tenantAccessProcedure, tenantAdminProcedure } from "../../procedures";
import {
  createWebhookInput,
  listDeliveriesInput,
  listWebhooksInput,
  redeliverInput,
  updateWebhookInput,
  webhookIdInput,
} from "./webhooks.input";
import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, redeliver, testWebhook, updateWebhook } from "./webhooks.service";

const audit = { audit: { resourceType: "webhook" } };

// Admins read (an admin key too); writes are people only (contract: keys work data, never access).

export const webhooksRouter = {
  list: tenantAdminProcedure.input(listWebhooksInput).query(({ ctx, input }) => listWebhooks(ctx.tx, input)),
  get: tenantAdminProcedure.input(webhookIdInput).query(({ ctx, input }) => getWebhook(ctx.tx, input.id)),
  create: tenantAccessProcedure
    .meta(audit)
    .input(createWebhookInput)
    .mutation(({ ctx, input }) => createWebhook(ctx.tx, ctx.tenant.id, ctx.auth.secrets, configOf(ctx).allowHttpLocalhost, input)),
  update: tenantAccessProcedure
    .meta(audit)
    .input(updateWebhookInput)
    .mutation(({ ctx, input }) => updateWebhook(ctx.tx, configOf(ctx).allowHttpLocalhost, input)),
  delete: tenantAccessProcedure
    .meta(audit)
    .input(webhookIdInput)
    .mutation(({ ctx, input }) => deleteWebhook(ctx.tx, input.id)),
  test: tenantAccessProcedure
    .meta(audit)
    .input(webhookIdInput)
    .mutation(({ ctx, input }) => testWebhook(ctx.tx, ctx.tenant.id, input.id)),
  deliveries: tenantAdminProcedure.input(listDeliveriesInput).query(({ ctx, input }) => listDeliveries(ctx.tx, input)),
  redeliver: tenantAccessProcedure
    .meta(audit)
    .input(redeliverInput)
    .mutation(({ ctx, input }) => redeliver(ctx.tx, ctx.tenant.id, input.deliveryId)),
} satisfies TRPCRouterRecord;
