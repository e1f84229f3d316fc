import { z } from "zod";

/**
 * Twilio's credentials as its console shows them: the account SID (`AC` + 32 hex digits) and the auth token
 * (32 hex digits), which signs every callback Twilio sends (X-Twilio-Signature).
 */
export const setTwilioInput = z.strictObject({
  accountSid: z
    .string()
    .trim()
    .regex(/^AC[0-9a-fA-F]{32}$/, { message: "Enter the Account SID from Twilio's console: AC followed by 32 hexadecimal digits" })
    // Twilio writes SIDs in lower case; callbacks are matched against this exact string.
    .transform((sid) => `AC${sid.slice(2).toLowerCase()}`),
  authToken: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{32}$/, { message: "Enter the Auth Token from Twilio's console: 32 hexadecimal digits" }),
});

export type SetTwilioInput = z.infer<typeof setTwilioInput>;
