import { z } from "zod";
import { pagination, singleLine, uuid } from "../../lib/inputs";

const name = singleLine(50);
const color = z
  .string()
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, { message: "Use a colour such as #1f6feb" })
  .transform((c) => c.toLowerCase());

export const listLabelsInput = z.strictObject({ ...pagination }).default({ limit: 50 });
export const labelIdInput = z.strictObject({ id: uuid });
export const createLabelInput = z.strictObject({ name, color });
export const updateLabelInput = z.strictObject({ id: uuid, name: name.optional(), color: color.optional() });

export type ListLabelsInput = z.infer<typeof listLabelsInput>;
export type CreateLabelInput = z.infer<typeof createLabelInput>;
export type UpdateLabelInput = z.infer<typeof updateLabelInput>;
