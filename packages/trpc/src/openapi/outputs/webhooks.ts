import { z } from "zod";
import { webhookDeliveryStatus, webhookEventTypes } from "@switchboard/db";
import { deleted, page, timestamp, uuid } from "./common";

const endpointFields = {
  id: uuid,
  url: z.string(),
  events: z.array(z.enum(webhookEventTypes)),
  enabled: z.boolean(),
  description: z.string().nullable(),
  disabledReason: z.string().nullable().describe("Why the endpoint was disabled (e.g. failing for 3 days); null when enabled by hand."),
  failingSince: timestamp.nullable().describe("The first failed delivery since the last success."),
  createdAt: timestamp,
  updatedAt: timestamp,
};
const endpoint = z.strictObject(endpointFields);

const delivery = z.strictObject({
  id: uuid,
  webhookId: uuid,
  event: z.enum(webhookEventTypes),
  eventId: z.string().describe("The `webhook-id` header: the same for every attempt and redelivery of this event."),
  status: z.enum(webhookDeliveryStatus.enumValues),
  attempts: z.number(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: timestamp,
  deliveredAt: timestamp.nullable(),
  createdAt: timestamp,
});

export const webhooksOutputs = {
  list: page(endpoint),
  get: endpoint,
  create: z.strictObject({
    ...endpointFields,
    secret: z.string().describe("The signing secret (`whsec_…`), shown this once."),
  }),
  update: endpoint,
  delete: deleted,
  test: delivery,
  deliveries: page(delivery),
  redeliver: delivery,
};
