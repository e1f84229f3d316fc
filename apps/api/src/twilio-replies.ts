/**
 * Replies in SMS and WhatsApp conversations, sent by the worker's `twilio.send` job: Twilio's API from
 * TWILIO_API_BASE_URL, the secret box that opens a tenant's auth token, and the tenant's messages callback URL on
 * its own host (Twilio reports delivery there; the same URL integrations.twilio.get shows behind TLS).
 */
import { createSecretBox } from "@switchboard/auth";
import type { TwilioSendOptions } from "@switchboard/jobs";
import { encryptionKeys } from "./encryption-key";
import type { Env } from "./env";

/** One request to Twilio at most: it answers in well under a second; a slower one is retried. */
const TWILIO_TIMEOUT_SECONDS = 15;

export function twilioSendOptions(env: Env, tenantLink: (slug: string, path: string) => string): TwilioSendOptions {
  const secrets = createSecretBox(encryptionKeys(env));
  return {
    apiBaseUrl: env.TWILIO_API_BASE_URL,
    timeoutSeconds: TWILIO_TIMEOUT_SECONDS,
    openSecret: (ciphertext, context) => secrets.open(ciphertext, context),
    statusCallbackUrl: (slug) => tenantLink(slug, `/hooks/twilio/${slug}/messages`),
  };
}
