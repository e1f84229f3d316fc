import { z } from "zod";
import { leadStatus as leadStatusEnum } from "@switchboard/db";
import { email, pagination, phone, uuid } from "../../lib/inputs";

// Value lists come from the database enums (the one source); zod and the dashboard derive from them.
const leadStatus = z.enum(leadStatusEnum.enumValues);

const name = z.string().trim().min(1, { message: "Enter a name" }).max(200);
const source = z.string().trim().min(1).max(100);

export const listLeadsInput = z.strictObject({ status: leadStatus.optional(), ...pagination }).default({ limit: 50 });
export const leadIdInput = z.strictObject({ id: uuid });
export const createLeadInput = z.strictObject({
  name,
  phone: phone.optional(),
  email: email.optional(),
  source: source.optional(),
});
export const updateLeadInput = z.strictObject({
  id: uuid,
  name: name.optional(),
  phone: phone.nullable().optional(),
  email: email.nullable().optional(),
  source: source.nullable().optional(),
  status: leadStatus.optional(),
});

export type ListLeadsInput = z.infer<typeof listLeadsInput>;
export type CreateLeadInput = z.infer<typeof createLeadInput>;
export type UpdateLeadInput = z.infer<typeof updateLeadInput>;
