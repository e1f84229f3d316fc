import { z } from "zod";
import { callDirection, callStatus, sentiment } from "@switchboard/db";
import { page, timestamp, uuid } from "./common";

const callFields = {
  id: uuid,
  agentId: uuid.nullable(),
  contactId: uuid.nullable(),
  direction: z.enum(callDirection.enumValues),
  customerPhone: z.string(),
  status: z.enum(callStatus.enumValues),
  startedAt: timestamp,
  endedAt: timestamp.nullable(),
  durationSeconds: z.number().nullable(),
  outcome: z.string().nullable(),
  sentiment: z.enum(sentiment.enumValues).nullable(),
  erased: z.boolean().describe('The customer was erased: customerPhone reads "erased", transcript and outcome are null.'),
};
export const call = z.strictObject(callFields);

export const callsOutputs = {
  list: page(call),
  get: z.strictObject({ ...callFields, transcript: z.string().nullable() }),
  create: call,
  update: call,
};
