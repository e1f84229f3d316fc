import { z } from "zod";
import { pagination, singleLine, uuid } from "../../lib/inputs";

/** Typed after `/` in the composer. */
const shortcut = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, { message: "Use 1–32 lowercase letters, digits, - or _, starting with a letter or digit" });
const title = singleLine(100);
// eslint-disable-next-line no-control-regex
const controlCharsButLineBreaks = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const body = z
  .string()
  .trim()
  .min(1, { message: "Must not be empty" })
  .max(5000, { message: "Use at most 5000 characters" })
  .refine((s) => !controlCharsButLineBreaks.test(s), { message: "Must not contain control characters" });

export const listCannedResponsesInput = z.strictObject({ ...pagination }).default({ limit: 50 });
export const cannedResponseIdInput = z.strictObject({ id: uuid });
export const createCannedResponseInput = z.strictObject({ shortcut, title, body });
export const updateCannedResponseInput = z.strictObject({
  id: uuid,
  shortcut: shortcut.optional(),
  title: title.optional(),
  body: body.optional(),
});

export type ListCannedResponsesInput = z.infer<typeof listCannedResponsesInput>;
export type CreateCannedResponseInput = z.infer<typeof createCannedResponseInput>;
export type UpdateCannedResponseInput = z.infer<typeof updateCannedResponseInput>;
