import { z } from "zod";
import { email, pagination, password, personName } from "../../lib/inputs";

export const registerInput = z.strictObject({ email, password, name: personName });
export const loginInput = z.strictObject({ email, password: z.string().min(1).max(256) });
export const changePasswordInput = z.strictObject({
  currentPassword: z.string().min(1).max(256),
  newPassword: password,
});

/** Tokens from mailed links and MFA challenges: 256-bit base64url (43 characters); anything else is no token of ours. */
const token = z.string().regex(/^[A-Za-z0-9_-]{20,128}$/, { message: "This link is incomplete: open it again from the mail" });
/** A 6-digit TOTP code or a recovery code (`xxxxx-xxxxx`); spaces are ignored. */
const code = z
  .string()
  .trim()
  .min(6, { message: "Enter the 6-digit code or a recovery code" })
  .max(32, { message: "Enter the 6-digit code or a recovery code" })
  .regex(/^[A-Za-z0-9 -]+$/, { message: "Enter the 6-digit code or a recovery code" });

export const verifyEmailInput = z.strictObject({ token });
export const requestPasswordResetInput = z.strictObject({ email });
export const resetPasswordInput = z.strictObject({ token, password });
export const loginMfaInput = z.strictObject({ challenge: token, code });
export const mfaCodeInput = z.strictObject({ code });
/** Session ids as auth.sessions shows them (32 hex digits). */
export const revokeSessionInput = z.strictObject({ id: z.string().regex(/^[0-9a-f]{32}$/, { message: "Not a session id" }) });
export const listInput = z.strictObject({ ...pagination }).default({ limit: 50 });
