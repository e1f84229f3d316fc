import { z } from "zod";
import { engagementChannel as channelEnum } from "@switchboard/db";
import { idempotencyKey, pagination, personName, uuid } from "../../lib/inputs";
import { messageBody } from "../engagements/engagements.input";

export const listMessagesInput = z.strictObject({ engagementId: uuid, ...pagination });
export const sendMessageInput = z.strictObject({ engagementId: uuid, body: messageBody, idempotencyKey: idempotencyKey.optional() });
export const noteInput = z.strictObject({ engagementId: uuid, body: messageBody });
export const ingestMessageInput = z.strictObject({
  channel: z.enum(channelEnum.enumValues),
  /** The customer's handle on the channel (phone number, e-mail address, @handle, chat id). */
  handle: z.string().trim().min(1, { message: "Name the customer's handle" }).max(320),
  name: personName.optional(),
  body: messageBody,
  /** The provider's message id: a redelivery is stored once. */
  externalId: z.string().trim().min(1).max(200),
  subject: z.string().trim().max(300).optional(),
});

export type ListMessagesInput = z.infer<typeof listMessagesInput>;
export type IngestMessageInput = z.infer<typeof ingestMessageInput>;
