import { z } from "zod";
import { webhookDeliveryStatus, webhookEventTypes } from "@switchboard/db";
import { hasNoControlChars, pagination, uuid } from "../../lib/inputs";

/** At most this many endpoints per tenant. */
export const MAX_WEBHOOKS = 20;

const url = z
  .string()
  .trim()
  .min(8, { message: "Enter a URL such as https://example.com/hooks" })
  .max(2048, { message: "Use at most 2048 characters" })
  .refine(hasNoControlChars, { message: "Must not contain control characters" });
const events = z
  .array(z.enum(webhookEventTypes))
  .min(1, { message: "Choose at least one event" })
  .max(webhookEventTypes.length)
  .refine((e) => new Set(e).size === e.length, { message: "Name each event once" });
const description = z
  .string()
  .trim()
  .max(200, { message: "Use at most 200 characters" })
  .refine(hasNoControlChars, { message: "Must not contain control characters" });

export const listWebhooksInput = z.strictObject({ ...pagination }).default({ limit: 50 });
export const webhookIdInput = z.strictObject({ id: uuid });
export const createWebhookInput = z.strictObject({ url, events, enabled: z.boolean().optional(), description: description.optional() });
export const updateWebhookInput = z.strictObject({
  id: uuid,
  url: url.optional(),
  events: events.optional(),
  enabled: z.boolean().optional(),
  description: description.nullable().optional(),
});
export const listDeliveriesInput = z.strictObject({
  webhookId: uuid,
  status: z.enum(webhookDeliveryStatus.enumValues).optional(),
  ...pagination,
});
export const redeliverInput = z.strictObject({ deliveryId: uuid });

export type CreateWebhookInput = z.infer<typeof createWebhookInput>;
export type UpdateWebhookInput = z.infer<typeof updateWebhookInput>;
export type ListDeliveriesInput = z.infer<typeof listDeliveriesInput>;
