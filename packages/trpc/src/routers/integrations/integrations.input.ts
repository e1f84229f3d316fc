import { z } from "zod";

/** A phone number as Twilio takes it: E.164, `+` then 7 to 15 digits, nothing else. */
const e164 = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\+[1-9]\d{6,14}$/, { message: `Enter ${what} in international form: + then the country code and number, digits only` });

/**
 * Twilio's credentials as its console shows them: the account SID (`AC` + 32 hex digits) and the auth token
 * (32 hex digits), which signs every callback Twilio sends (X-Twilio-Signature); and who replies are sent from
 * (not secret: kept in `config` and shown again). `set` replaces all of it: a sender left out is removed.
 */
export const setTwilioInput = z
  .strictObject({
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
    /** Replies in SMS conversations are sent from this Twilio number… */
    fromNumber: e164("the SMS number").optional(),
    /** …or through this Messaging Service (its sender pool picks the number); WhatsApp uses it without whatsappFrom. */
    messagingServiceSid: z
      .string()
      .trim()
      .regex(/^MG[0-9a-fA-F]{32}$/, { message: "Enter the Messaging Service SID from Twilio's console: MG followed by 32 hexadecimal digits" })
      .transform((sid) => `MG${sid.slice(2).toLowerCase()}`)
      .optional(),
    /** Replies in WhatsApp conversations are sent from this WhatsApp sender (`whatsapp:<number>` at Twilio). */
    whatsappFrom: e164("the WhatsApp number").optional(),
  })
  .refine((i) => !(i.fromNumber && i.messagingServiceSid), {
    message: "Give either an SMS number or a Messaging Service, not both",
    path: ["messagingServiceSid"],
  });

export type SetTwilioInput = z.infer<typeof setTwilioInput>;
