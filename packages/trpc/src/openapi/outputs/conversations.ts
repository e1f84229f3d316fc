/** The two views a conversation is made of, shared by engagements, messages and contacts. */
import { z } from "zod";
import { csatSource, engagementChannel, engagementPriority, engagementStatus, messageAuthorType, messageDeliveryStatus, messageKind } from "@switchboard/db";
import { timestamp, uuid } from "./common";

export const engagementFields = {
  id: uuid,
  channel: z.enum(engagementChannel.enumValues),
  customer: z.string().describe("The customer's handle on the channel: phone number, e-mail address, @handle."),
  subject: z.string().nullable(),
  status: z.enum(engagementStatus.enumValues),
  priority: z.enum(engagementPriority.enumValues),
  assignedUserId: uuid.nullable(),
  contactId: uuid.nullable(),
  labelIds: z.array(uuid),
  createdAt: timestamp,
  firstResponseAt: timestamp.nullable(),
  firstResponseDueAt: timestamp.nullable(),
  slaBreached: z.boolean(),
  resolvedAt: timestamp.nullable(),
  lastMessageAt: timestamp.nullable(),
  csat: z.number().nullable(),
  csatSource: z.enum(csatSource.enumValues).nullable(),
  csatComment: z.string().nullable(),
  erased: z.boolean().describe('The customer was erased (privacy.eraseContact): customer reads "erased", subject and comment are null.'),
};
export const engagement = z.strictObject(engagementFields);

export const message = z.strictObject({
  id: uuid,
  engagementId: uuid,
  kind: z.enum(messageKind.enumValues),
  author: z.strictObject({ type: z.enum(messageAuthorType.enumValues), id: z.string().nullable(), name: z.string() }),
  body: z.string(),
  createdAt: timestamp,
  redacted: z.boolean().describe('The body was removed by the tenant\'s retention or the customer\'s erasure: it reads "".'),
  delivery: z
    .strictObject({
      status: z.enum(messageDeliveryStatus.enumValues),
      error: z.string().nullable().describe("Twilio's error code and message when it failed."),
    })
    .nullable()
    .describe("A reply sent out through Twilio (SMS, WhatsApp): queued → sent → delivered, or failed / undelivered. Null for everything else."),
});
