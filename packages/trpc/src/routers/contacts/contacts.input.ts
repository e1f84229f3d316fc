import { z } from "zod";
import { contactHandleKind } from "@switchboard/db";
import { email, hasNoControlChars, pagination, phone, singleLine, uuid } from "../../lib/inputs";

const name = singleLine(200);
/** Channel handles other than e-mail and phone: kept as given (trimmed; @handles lower-cased). */
const otherKind = z.enum(contactHandleKind.enumValues).exclude(["email", "phone"]);

export const handleInput = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("email"), value: email }),
  z.strictObject({ kind: z.literal("phone"), value: phone }),
  z.strictObject({ kind: otherKind, value: singleLine(320) }),
]);

export const listContactsInput = z
  .strictObject({
    /** Name, e-mail, phone or any handle containing it (phone digits match whatever the punctuation). */
    q: z
      .string()
      .trim()
      .max(200, { message: "Use at most 200 characters" })
      .refine(hasNoControlChars, { message: "Must not contain control characters" })
      .optional(),
    ...pagination,
  })
  .default({ limit: 50 });
export const contactIdInput = z.strictObject({ id: uuid });
export const createContactInput = z
  .strictObject({
    name: name.optional(),
    email: email.optional(),
    phone: phone.optional(),
    handles: z.array(handleInput).max(20, { message: "At most 20 handles" }).optional(),
  })
  .refine((c) => c.name || c.email || c.phone || c.handles?.length, { message: "Give a name, an e-mail address, a phone number or a handle" });
export const updateContactInput = z.strictObject({
  id: uuid,
  name: name.nullable().optional(),
  email: email.nullable().optional(),
  phone: phone.nullable().optional(),
});
export const mergeContactsInput = z
  .strictObject({ id: uuid, intoId: uuid })
  .refine((m) => m.id !== m.intoId, { message: "A contact cannot be merged into itself", path: ["intoId"] });

export type ListContactsInput = z.infer<typeof listContactsInput>;
export type CreateContactInput = z.infer<typeof createContactInput>;
export type UpdateContactInput = z.infer<typeof updateContactInput>;
export type MergeContactsInput = z.infer<typeof mergeContactsInput>;
