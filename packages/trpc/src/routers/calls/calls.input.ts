import { z } from "zod";
import { callDirection, callStatus as callStatusEnum, sentiment } from "@switchboard/db";
import { idempotencyKey, isoDateTime, pagination, phone, uuid } from "../../lib/inputs";

// Value lists come from the database enums (the one source); zod and the dashboard derive from them.
const callStatus = z.enum(callStatusEnum.enumValues);
const callSentiment = z.enum(sentiment.enumValues);

export const listCallsInput = z
  .strictObject({
    status: callStatus.optional(),
    agentId: uuid.optional(),
    /** Calls started at or after `from` and before `to`. */
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    ...pagination,
  })
  .default({ limit: 50 });
export const callIdInput = z.strictObject({ id: uuid });
export const createCallInput = z.strictObject({
  agentId: uuid.optional(),
  direction: z.enum(callDirection.enumValues),
  customerPhone: phone,
  status: callStatus.optional(),
  startedAt: isoDateTime.optional(),
  idempotencyKey: idempotencyKey.optional(),
});
export const updateCallInput = z.strictObject({
  id: uuid,
  status: callStatus.optional(),
  endedAt: isoDateTime.optional(),
  outcome: z.string().trim().max(500, { message: "Use at most 500 characters" }).nullable().optional(),
  sentiment: callSentiment.nullable().optional(),
  transcript: z.string().max(200_000).nullable().optional(),
});

export type ListCallsInput = z.infer<typeof listCallsInput>;
export type CreateCallInput = z.infer<typeof createCallInput>;
export type UpdateCallInput = z.infer<typeof updateCallInput>;
