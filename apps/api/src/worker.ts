/**
 * The background worker in the API process (on unless WORKER=false): mail and clean-up jobs from
 * @switchboard/jobs, on the app's own database role, and the webhook dispatcher beside them. Without SMTP_URL it
 * runs the clean-ups and leaves mail queued until a worker with SMTP_URL runs (production refuses to start that
 * way, see env.ts).
 */
import type { FastifyBaseLogger } from "fastify";
import { createSecretBox } from "@switchboard/auth";
import type { DbHandle } from "@switchboard/db";
import { createMailer, type JobRunner, startJobRunner, startWebhookDispatcher, type WebhookDispatcher } from "@switchboard/jobs";
import { aiReplyOptions } from "./ai-replies";
import { encryptionKeys } from "./encryption-key";
import type { Env } from "./env";
import { exportSpoolDirOf, exportStoreOf } from "./exports-store";
import { twilioSendOptions } from "./twilio-replies";

export async function startWorker(env: Env, db: DbHandle, log: FastifyBaseLogger): Promise<JobRunner | null> {
  if (!env.worker) return null;
  const jobsLog = log.child({ component: "jobs" });
  if (!env.SMTP_URL) jobsLog.warn("SMTP_URL is unset: mail stays queued until a worker with SMTP_URL runs");
  const runner = await startJobRunner({
    db,
    url: env.DATABASE_URL,
    mailer: env.SMTP_URL ? createMailer({ smtpUrl: env.SMTP_URL, from: env.mailFrom, timeoutSeconds: env.MAIL_SEND_TIMEOUT_SECONDS }) : null,
    mailSendTimeoutSeconds: env.MAIL_SEND_TIMEOUT_SECONDS,
    sessionAbsoluteLifetimeSeconds: env.SESSION_ABSOLUTE_LIFETIME_SECONDS,
    log: jobsLog,
    ai: aiReplyOptions(env),
    twilio: twilioSendOptions(env, (slug, path) => tenantLink(env, slug, path)),
    exports: { store: exportStoreOf(env), spoolDir: exportSpoolDirOf(env), tenantLink: (slug, path) => tenantLink(env, slug, path) },
  });
  let webhooks: WebhookDispatcher;
  try {
    webhooks = await startWebhookDispatcher({
      db,
      secrets: createSecretBox(encryptionKeys(env)),
      allowHttpLocalhost: env.WEBHOOKS_ALLOW_HTTP_LOCALHOST ?? false,
      tenantLink: (slug, path) => tenantLink(env, slug, path),
      log: log.child({ component: "webhooks" }),
    });
  } catch (err) {
    await runner.stop(1000);
    throw err;
  }
  return {
    async stop(timeoutMs) {
      await Promise.all([webhooks.stop(timeoutMs), runner.stop(timeoutMs)]);
    },
  };
}

/** A tenant's dashboard page for mail sent by the worker: https without a port behind TLS, else the API's port. */
export function tenantLink(env: Pick<Env, "cookieSecure" | "BASE_DOMAIN" | "PORT">, slug: string, path: string): string {
  return env.cookieSecure ? `https://${slug}.${env.BASE_DOMAIN}${path}` : `http://${slug}.${env.BASE_DOMAIN}:${env.PORT}${path}`;
}

/** Where mail goes, for the start banner (never the credentials). */
export function mailDescription(env: Env): string {
  if (env.MAIL_UI_URL) return `development mail catcher: ${env.MAIL_UI_URL} (SMTP ${env.SMTP_URL ?? "unset"})`;
  if (!env.SMTP_URL) return "SMTP_URL unset: mail stays queued";
  const u = new URL(env.SMTP_URL);
  return `${u.protocol}//${u.host} as ${env.mailFrom}`;
}
