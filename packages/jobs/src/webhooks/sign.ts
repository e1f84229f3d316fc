/**
 * Standard Webhooks (https://www.standardwebhooks.com): the secret's form, the signed headers and the body.
 * - secret: `whsec_` + base64 of 32 random bytes; the HMAC key is the decoded bytes.
 * - `webhook-id`: the event's id, the same on every retry and redelivery (receivers deduplicate on it);
 *   `webhook-timestamp`: Unix seconds of this attempt; `webhook-signature`: `v1,` + base64 HMAC-SHA256 of
 *   `<id>.<timestamp>.<body>`.
 * - body: `{ type, timestamp, data }` (`timestamp`: when the event happened, ISO-8601).
 */
import { createHmac, randomBytes } from "node:crypto";

export const WEBHOOK_SECRET_PREFIX = "whsec_";

export function generateWebhookSecret(): string {
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

/** The `v1,<base64>` signature of one attempt. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.startsWith(WEBHOOK_SECRET_PREFIX) ? secret.slice(WEBHOOK_SECRET_PREFIX.length) : secret, "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestampSeconds}.${body}`).digest("base64")}`;
}

/** The body sent for an event. */
export function webhookBody(event: { type: string; createdAt: Date; data: unknown }): string {
  return JSON.stringify({ type: event.type, timestamp: event.createdAt.toISOString(), data: event.data });
}

/** The headers of one attempt (signed now). */
export function webhookHeaders(secret: string, id: string, body: string, now = new Date()): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    "content-type": "application/json",
    "user-agent": "Switchboard-Webhooks/1",
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signWebhook(secret, id, timestamp, body),
  };
}

/** The context a webhook secret is sealed under (auth's SecretBox): a sealed secret opens only for its endpoint. */
export const webhookSecretContext = (tenantId: string, webhookId: string) => `webhook:${tenantId}:${webhookId}`;
