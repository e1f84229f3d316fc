import { z } from "zod";
import { email, pagination, phone, uuid } from "../../lib/inputs";

export const leadStatus = z.enum(["new", "contacted", "qualified", "converted", "lost"]);

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
