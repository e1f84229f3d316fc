import { z } from "zod";
import { email, phone, uuid } from "../../lib/inputs";

/** One address to look a person up by, exactly as an erasure request names them (normalised like contacts). */
export const findContactInput = z
  .strictObject({ email: email.optional(), phone: phone.optional() })
  .refine((i) => (i.email === undefined) !== (i.phone === undefined), { message: "Give exactly one of email or phone" });

/** `confirm: true` is the caller's explicit "yes, irreversibly". */
export const eraseContactInput = z.strictObject({ contactId: uuid, confirm: z.literal(true, { message: "Erasure is irreversible: send confirm: true" }) });

export type FindContactInput = z.infer<typeof findContactInput>;
