import { z } from "zod";
import { timestamp } from "./common";

const twilio = z.strictObject({
  configured: z.boolean(),
  accountSid: z.string().nullable(),
  fromNumber: z.string().nullable().describe("SMS replies are sent from this number (E.164)."),
  messagingServiceSid: z.string().nullable().describe("Or through this Messaging Service (MG…); WhatsApp too when whatsappFrom is unset."),
  whatsappFrom: z.string().nullable().describe("WhatsApp replies are sent from this WhatsApp sender (E.164)."),
  voiceUrl: z.string().describe("Paste into Twilio's console as the voice status callback URL."),
  messagesUrl: z.string().describe("Paste into Twilio's console as the messaging webhook URL."),
  updatedAt: timestamp.nullable(),
});

/** The tenant's own AI provider key: whether one is set (the key is never returned). */
const ai = z.strictObject({ configured: z.boolean(), updatedAt: timestamp.nullable() });

export const integrationsOutputs = {
  twilio: { get: twilio, set: twilio, delete: twilio },
  ai: { get: ai, set: ai, delete: ai },
};
