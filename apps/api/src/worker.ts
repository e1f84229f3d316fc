/**
 * The background worker in the API process (on unless WORKER=false): mail and clean-up jobs from
 * @switchboard/jobs, on the app's own database role. Without SMTP_URL it runs the clean-ups and leaves mail queued
 * until a worker with SMTP_URL runs (production refuses to start that way, see env.ts).
 */
import type { FastifyBaseLogger } from "fastify";
import type { DbHandle } from "@switchboard/db";
import { createMailer, type JobRunner, startJobRunner } from "@switchboard/jobs";
import type { Env } from "./env";

export async function startWorker(env: Env, db: DbHandle, log: FastifyBaseLogger): Promise<JobRunner | null> {
  if (!env.worker) return null;
  const jobsLog = log.child({ component: "jobs" });
  if (!env.SMTP_URL) jobsLog.warn("SMTP_URL is unset: mail stays queued until a worker with SMTP_URL runs");
  return startJobRunner({
    db,
    url: env.DATABASE_URL,
    mailer: env.SMTP_URL ? createMailer({ smtpUrl: env.SMTP_URL, from: env.mailFrom, timeoutSeconds: env.MAIL_SEND_TIMEOUT_SECONDS }) : null,
    mailSendTimeoutSeconds: env.MAIL_SEND_TIMEOUT_SECONDS,
    sessionAbsoluteLifetimeSeconds: env.SESSION_ABSOLUTE_LIFETIME_SECONDS,
    log: jobsLog,
  });
}

/** Where mail goes, for the start banner (never the credentials). */
export function mailDescription(env: Env): string {
  if (env.MAIL_UI_URL) return `development mail catcher: ${env.MAIL_UI_URL} (SMTP ${env.SMTP_URL ?? "unset"})`;
  if (!env.SMTP_URL) return "SMTP_URL unset: mail stays queued";
  const u = new URL(env.SMTP_URL);
  return `${u.protocol}//${u.host} as ${env.mailFrom}`;
}
