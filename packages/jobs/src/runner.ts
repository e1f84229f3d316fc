/**
 * The worker: pg-boss polling the job queues in PostgreSQL (or the embedded PGlite). Any number of processes may
 * run it: a job is fetched by one of them (`FOR UPDATE SKIP LOCKED`), cron schedules fire once per minute slot
 * across all of them, and a job whose process died is failed by the maintenance pass after its timeout and
 * retried with backoff by another. Edit here to add a job kind's handler (after its entry in queues.ts).
 *
 * Runs as the app role (never the owner) with `migrate: false`: the schema and queues come from the migrations.
 * Handlers that touch tenant data run inside that tenant's scope (withScope), so RLS applies.
 */
import PgBoss from "pg-boss";
import { type DbHandle, withScope } from "@switchboard/db";
import { expireExports } from "./exports/expire-job";
import { type ExportJobOptions, runExport } from "./exports/run-job";
import { type AiReplyOptions, type Attempt, runAiReply } from "./ai/reply-job";
import { cleanupAccounts, cleanupTenant, tenantsToClean } from "./cleanup";
import { workerSql } from "./driver/pg-boss-sql";
import { enqueue, JOB_WAKE_CHANNEL } from "./enqueue";
import { sendOutboxMail } from "./mail/send-job";
import { runTwilioSend, type TwilioSendOptions } from "./twilio/send-job";
import { pruneAllWebhooks } from "./webhooks/prune";
import { enqueueDuePurges, type PurgeOptions, purgeTenant } from "./purge/purge-tenant";
import { applyRetention, enqueueRetention } from "./retention/retention";
import type { Mailer } from "./mail/transport";
import { type JobData, type JobName, jobs, sendOptionsFor } from "./queues";

export interface JobLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobRunnerOptions {
  db: DbHandle;
  /** The app role's URL on PostgreSQL (the worker keeps a small pool of its own); unused on PGlite. */
  url?: string | undefined;
  /** Null: mail is not sent by this runner (it stays queued for one that has SMTP). */
  mailer: Mailer | null;
  /** Data exports (the store, links for the ready mail); null: `exports.*` jobs stay queued for a runner that has them. */
  exports?: ExportJobOptions | null;
  /** How long one mail send may take before the job counts as lost and another worker retries it. */
  mailSendTimeoutSeconds: number;
  sessionAbsoluteLifetimeSeconds: number;
  log: JobLog;
  /** AI replies (provider defaults, the thread writers); null: `ai.reply` jobs stay queued for a runner that has them. */
  ai?: AiReplyOptions | null;
  /** Replies out through Twilio (API base URL, the secret box, callback URLs); null: `twilio.send` jobs stay queued. */
  twilio?: TwilioSendOptions | null;
  /** How often idle queues are polled (default: 1 s for AI replies, 2 s for mail, 10 s for clean-up). */
  pollingIntervalSeconds?: number;
  /** Batch size and pacing of tenant purges (defaults: purge/purge-tenant.ts `purgeDefaults`). */
  purge?: PurgeOptions;
}

export interface JobRunner {
  /** Stops fetching, waits up to `timeoutMs` for running jobs (then fails them for a retry), closes its pool. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Cron schedules (UTC). */
export const schedules: { name: JobName; cron: string }[] = [
  { name: "exports.expire", cron: "7 * * * *" },
  { name: "cleanup.accounts", cron: "*/10 * * * *" },
  { name: "cleanup.tenants", cron: "17 * * * *" },
  { name: "webhooks.prune", cron: "41 3 * * *" },
  { name: "purge.due", cron: "23 * * * *" },
  { name: "retention.run", cron: "53 2 * * *" },
];

export async function startJobRunner(opts: JobRunnerOptions): Promise<JobRunner> {
  const connection = workerSql(opts.db, opts.url);
  const boss = new PgBoss({
    schema: "pgboss",
    db: connection,
    migrate: false,
    // Expired jobs (their process died) are found within half the mail timeout, at most every 30 s.
    maintenanceIntervalSeconds: Math.max(1, Math.min(30, Math.floor(opts.mailSendTimeoutSeconds / 2))),
  });
  boss.on("error", (err: Error & { queue?: string }) => opts.log.error({ err, queue: err.queue }, "job runner error"));
  try {
    await boss.start();
  } catch (err) {
    await connection.close();
    throw err;
  }
  await boss.updateQueue("mail.send", { name: "mail.send", expireInSeconds: opts.mailSendTimeoutSeconds });

  const handlers: { [N in JobName]: (data: JobData<N>, attempt: Attempt) => Promise<unknown> } = {
    "mail.send": (data) => sendOutboxMail(opts.db, opts.mailer!, data),
    "cleanup.accounts": () => cleanupAccounts(opts.db, { sessionAbsoluteLifetimeSeconds: opts.sessionAbsoluteLifetimeSeconds }),
    "cleanup.tenants": async () => {
      const tenantIds = await tenantsToClean(opts.db);
      await withScope(opts.db, {}, async (tx) => {
        for (const tenantId of tenantIds) await enqueue(tx, "cleanup.tenant", { tenantId });
      });
      return { tenants: tenantIds.length };
    },
    "cleanup.tenant": ({ tenantId }) => cleanupTenant(opts.db, tenantId),
    "exports.run": (data, attempt) => runExport({ ...opts.exports!, db: opts.db }, data, attempt),
    "exports.expire": () => expireExports({ db: opts.db, store: opts.exports!.store }),
    "twilio.send": (data, attempt) => runTwilioSend({ ...opts.twilio!, db: opts.db }, data, attempt),
    "ai.reply": (data, attempt) => runAiReply({ ...opts.ai!, db: opts.db }, data, attempt),
    "webhooks.prune": () => pruneAllWebhooks(opts.db),
    "purge.due": () => enqueueDuePurges(opts.db),
    "purge.tenant": ({ tenantId }) => purgeTenant(opts.db, tenantId, opts.purge),
    "retention.run": () => enqueueRetention(opts.db),
    "retention.tenant": ({ tenantId }) => applyRetention(opts.db, tenantId),
  };

  const workerIds = new Map<string, string[]>();
  for (const name of Object.keys(jobs) as JobName[]) {
    if (name === "mail.send" && !opts.mailer) continue;
    if (name === "ai.reply" && !opts.ai) continue;
    if (name === "twilio.send" && !opts.twilio) continue;
    if ((name === "exports.run" || name === "exports.expire") && !opts.exports) continue;
    const workers = name === "mail.send" || name === "ai.reply" || name === "twilio.send" ? 2 : 1;
    const polling = name === "ai.reply" || name === "twilio.send" ? 1 : name === "mail.send" ? 2 : 10;
    for (let i = 0; i < workers; i++) {
      const worker = { id: "" };
      worker.id = await boss.work(name, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: opts.pollingIntervalSeconds ?? polling }, async ([job]) => {
        // pg-boss waits a whole polling interval after every job, found or not: a worker that found one looks again
        // at once, so a backlog drains at the handlers' pace rather than one job per interval.
        if (worker.id) boss.notifyWorker(worker.id);
        const parsed = jobs[name].safeParse(job!.data);
        if (!parsed.success) {
          // Retrying cannot fix malformed data: the job completes with the reason and changes nothing.
          opts.log.error({ queue: name, jobId: job!.id, issues: parsed.error.issues.length }, "job refused: malformed data");
          return { refused: "malformed data" };
        }
        const started = Date.now();
        try {
          const attempt = { retryCount: job!.retryCount, retryLimit: job!.retryLimit };
          const result = await (handlers[name] as (d: unknown, a: Attempt) => Promise<unknown>)(parsed.data, attempt);
          opts.log.info({ queue: name, jobId: job!.id, ms: Date.now() - started, result }, "job done");
          return result;
        } catch (err) {
          opts.log.warn({ queue: name, jobId: job!.id, ms: Date.now() - started, err }, "job failed: will retry");
          throw err;
        }
      });
      workerIds.set(name, [...(workerIds.get(name) ?? []), worker.id]);
    }
  }
  // enqueue(…, { wake: true }): the committed job's queue is polled now rather than at its next interval.
  const unlisten = await opts.db.listen(JOB_WAKE_CHANNEL, (queue) => {
    for (const id of workerIds.get(queue) ?? []) boss.notifyWorker(id);
  });
  for (const s of schedules) await boss.schedule(s.name, s.cron, {}, { ...sendOptionsFor(s.name), tz: "UTC" });

  return {
    async stop(timeoutMs = 10_000) {
      await unlisten().catch(() => {});
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs });
      await connection.close();
      opts.mailer?.close();
    },
  };
}
