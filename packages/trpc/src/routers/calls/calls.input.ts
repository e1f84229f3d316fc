import { z } from "zod";
import { idempotencyKey, isoDateTime, pagination, phone, uuid } from "../../lib/inputs";

export const callStatus = z.enum(["queued", "ringing", "in_progress", "completed", "failed", "missed"]);
export const callSentiment = z.enum(["positive", "neutral", "negative"]);

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
  direction: z.enum(["inbound", "outbound"]),
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
