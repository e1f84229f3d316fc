import { z } from "zod";
import { engagementChannel as channelEnum, engagementPriority as priorityEnum, engagementStatus as statusEnum } from "@switchboard/db";
import { idempotencyKey, pagination, uuid } from "../../lib/inputs";

// Value lists come from the database enums (the one source); zod and the dashboard derive from them.
const engagementChannel = z.enum(channelEnum.enumValues);
const engagementStatus = z.enum(statusEnum.enumValues);
const engagementPriority = z.enum(priorityEnum.enumValues);

/** Full-text search words (websearch syntax: "quoted phrases", or, -excluded). */
export const searchText = z.string().trim().min(1, { message: "Enter words to search for" }).max(200);

export const listEngagementsInput = z
  .strictObject({
    channel: engagementChannel.optional(),
    status: engagementStatus.optional(),
    /** A member's user id, "me" (the caller) or "none" (unassigned). */
    assignedUserId: z.union([uuid, z.literal("me"), z.literal("none")]).optional(),
    labelId: uuid.optional(),
    contactId: uuid.optional(),
    q: searchText.optional(),
    ...pagination,
  })
  .default({ limit: 50 });
export const engagementIdInput = z.strictObject({ id: uuid });
export const messageBody = z.string().trim().min(1, { message: "Enter the message" }).max(20_000);
export const createEngagementInput = z.strictObject({
  channel: engagementChannel,
  customer: z.string().trim().min(1, { message: "Name the customer's handle" }).max(320),
  subject: z.string().trim().max(300).optional(),
  message: messageBody,
  priority: engagementPriority.optional(),
  idempotencyKey: idempotencyKey.optional(),
});
export const updateEngagementStatusInput = z.strictObject({ id: uuid, status: engagementStatus });
export const assignEngagementInput = z.strictObject({ id: uuid, userId: uuid.nullable() });
export const rateEngagementInput = z.strictObject({ id: uuid, csat: z.number().int().min(1).max(5) });
export const setEngagementPriorityInput = z.strictObject({ id: uuid, priority: engagementPriority });
export const setEngagementLabelsInput = z.strictObject({
  id: uuid,
  labelIds: z.array(uuid).max(20, { message: "Use at most 20 labels" }),
});
/** tRPC fills `lastEventId` from the Last-Event-ID header when an EventSource reconnects. */
export const onEngagementEventInput = z
  .strictObject({ lastEventId: z.string().regex(/^\d{1,18}$/, { message: "Not an event id" }).optional() })
  .optional();

export type ListEngagementsInput = z.infer<typeof listEngagementsInput>;
export type CreateEngagementInput = z.infer<typeof createEngagementInput>;
