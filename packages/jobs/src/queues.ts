/**
 * Every job kind: its queue name, the shape of its data (validated before a handler runs) and its send options.
 * A new kind adds an entry here, a handler in runner.ts and one `pgboss.create_queue` line in a new migration
 * (queues are created by the owner: creating one is DDL). Job data carries ids, never secrets or mail bodies.
 */
import { z } from "zod";

/**
 * Retries with exponential backoff: attempt n waits delay·2ⁿ/2 … delay·2ⁿ seconds (jittered). Mail gets 8 retries
 * (about 20 minutes in all); its timeout is the queue's, set by the runner from MAIL_SEND_TIMEOUT_SECONDS.
 */
export const defaultSendOptions = { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 };
const mailSendOptions = { retryLimit: 8, retryDelay: 5, retryBackoff: true };
/**
 * An AI reply is worth a short wait, not a long one: 3 retries (jittered, at most about 5, 10, 20 s apart), then
 * the conversation goes to people. Its expiry outlasts one provider call (AI_TIMEOUT_SECONDS ≤ 300).
 */
const aiReplyOptions = { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 6 * 60 };
/** A reply to a customer by SMS / WhatsApp: 5 retries (about 5 … 80 s apart, 2.5 min in all), then it is failed. */
const twilioSendOptions = { retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 2 * 60 };
/** An export starts again from the beginning on a retry: 2 retries a minute or more apart; one may run for an hour. */
const exportRunOptions = { retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 60 * 60 };

export const jobs = {
  /** One outbox row: sent once, then its bodies are redacted. Tenant mail runs in its tenant's scope. */
  "mail.send": z.object({ outboxId: z.uuid(), tenantId: z.uuid().nullable() }),
  /** One data export, streamed to the export store (exports/run-job.ts). */
  "exports.run": z.object({ tenantId: z.uuid(), exportId: z.uuid() }),
  /** Scheduled: export files past their expiry removed from the store (exports/expire-job.ts). */
  "exports.expire": z.object({}),
  /** Scheduled: expired sessions, hand-offs, tokens, MFA challenges, old counters and old account mail. */
  "cleanup.accounts": z.object({}),
  /** Scheduled: finds tenants with expired invitations or old mail and enqueues one `cleanup.tenant` each. */
  "cleanup.tenants": z.object({}),
  /** One tenant's clean-up, in that tenant's scope. */
  "cleanup.tenant": z.object({ tenantId: z.uuid() }),
  /** A reply in an SMS or WhatsApp conversation, sent to the customer through Twilio: twilio/send-job.ts. */
  "twilio.send": z.object({ tenantId: z.uuid(), messageId: z.uuid() }),
  /** A customer's message for the tenant's chat agent to answer (or hand off): ai/reply-job.ts. */
  "ai.reply": z.object({ tenantId: z.uuid(), engagementId: z.uuid(), messageId: z.uuid() }),
  /** Scheduled: delivered and failed webhook deliveries, and events no delivery needs, after 30 days (webhooks/prune.ts). */
  "webhooks.prune": z.object({}),
  /** Scheduled: archived tenants past their grace period, one `purge.tenant` each (purge/purge-tenant.ts). */
  "purge.due": z.object({}),
  /** One tenant's purge, batch by batch in short transactions, then its row; resumable (purge/purge-tenant.ts). */
  "purge.tenant": z.object({ tenantId: z.uuid() }),
  /** Scheduled: tenants with a retention setting, one `retention.tenant` each (retention/retention.ts). */
  "retention.run": z.object({}),
  /** One tenant's old message bodies and transcripts removed, in batches, in its scope (retention/retention.ts). */
  "retention.tenant": z.object({ tenantId: z.uuid() }),
} as const;

export type JobName = keyof typeof jobs;

export function sendOptionsFor(name: JobName) {
  if (name === "ai.reply") return aiReplyOptions;
  if (name === "twilio.send") return twilioSendOptions;
  if (name === "exports.run") return exportRunOptions;
  return name === "mail.send" ? mailSendOptions : defaultSendOptions;
}
export type JobData<N extends JobName> = z.infer<(typeof jobs)[N]>;

/** pg-boss's own queue for cron schedules; created by the migration too. */
export const internalQueues = ["__pgboss__send-it"] as const;
