import { z } from "zod";
import { email, password, personName } from "../../lib/inputs";

export const registerInput = z.strictObject({ email, password, name: personName });
export const loginInput = z.strictObject({ email, password: z.string().min(1).max(256) });
export const changePasswordInput = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: password,
});
