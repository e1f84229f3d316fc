/**
 * `mail.send`: delivers one outbox row, exactly once as far as SMTP allows.
 * - The row is locked (NOWAIT) for the whole attempt: a second worker that gets the same mail while the first
 *   still sends (a timed-out job retried early, a duplicate job) fails and retries later instead of sending twice.
 * - A row with `sent_at` is done: a repeated job does nothing.
 * - Success sets `sent_at` and replaces the bodies with a redacted copy, in the same transaction as the lock.
 * - Failure records `attempts` and `last_error`, commits that, and rethrows so pg-boss retries with backoff.
 * A process killed mid-send rolls back: the job expires and another worker sends the mail. Only a kill between
 * the SMTP server's acceptance and the commit can send twice (the one gap no outbox closes).
 * Tenant mail is read in its tenant's scope, account mail outside any tenant scope (RLS), as the app role.
 *
 * PGlite has one connection for the whole process: a transaction held open during SMTP would stall every
 * request. There the lock is an in-process one (PGlite is one process) and the row is read and updated in two
 * short transactions around the send.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { type DbHandle, emailOutbox, type OutboxEmail, type Tx, withScope } from "@switchboard/db";
import type { JobData } from "../queues";
import { redactLinks } from "./redact";
import type { Mailer } from "./transport";

export type MailSendResult = "sent" | "already-sent" | "missing";

export async function sendOutboxMail(db: DbHandle, mailer: Mailer, job: JobData<"mail.send">): Promise<MailSendResult> {
  const scope = { tenantId: job.tenantId };
  if (db.kind === "pglite") {
    return withProcessLock(job.outboxId, async () => {
      const row = await withScope(db, scope, (tx) => load(tx, job.outboxId, false));
      if (!row || row.sentAt) return row ? "already-sent" : "missing";
      const error = await deliver(mailer, row);
      await withScope(db, scope, (tx) => record(tx, row, error));
      if (error) throw error;
      return "sent";
    });
  }
  const outcome = await withScope(db, scope, async (tx) => {
    const row = await load(tx, job.outboxId, true);
    if (!row || row.sentAt) return { result: row ? ("already-sent" as const) : ("missing" as const) };
    const error = await deliver(mailer, row);
    await record(tx, row, error);
    return error ? { result: "failed" as const, error } : { result: "sent" as const };
  });
  if (outcome.result === "failed") throw outcome.error;
  return outcome.result;
}

function load(tx: Tx, id: string, lock: boolean): Promise<OutboxEmail | undefined> {
  const q = tx.select().from(emailOutbox).where(eq(emailOutbox.id, id));
  return (lock ? q.for("update", { noWait: true }) : q).then((rows) => rows[0]);
}

async function deliver(mailer: Mailer, row: OutboxEmail): Promise<Error | null> {
  try {
    await mailer.send({ to: row.to, subject: row.subject, text: row.body, html: row.html });
    return null;
  } catch (err) {
    return err as Error;
  }
}

async function record(tx: Tx, row: OutboxEmail, error: Error | null): Promise<void> {
  const attempts = sql`${emailOutbox.attempts} + 1`;
  const unsent = and(eq(emailOutbox.id, row.id), isNull(emailOutbox.sentAt));
  if (error) {
    await tx.update(emailOutbox).set({ attempts, lastError: error.message.slice(0, 1000) }).where(unsent);
    return;
  }
  await tx
    .update(emailOutbox)
    .set({ sentAt: sql`now()`, attempts, lastError: null, body: redactLinks(row.body), html: row.html === null ? null : redactLinks(row.html) })
    .where(unsent);
}

const sending = new Set<string>();

async function withProcessLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
  if (sending.has(id)) throw new Error("this mail is being sent by another worker");
  sending.add(id);
  try {
    return await fn();
  } finally {
    sending.delete(id);
  }
}
