/**
 * `enqueue(tx, name, data)`: the job is inserted by the caller's transaction, so it exists exactly when the
 * change that caused it commits (a rollback queues nothing). Works on PostgreSQL and PGlite transactions alike.
 * `wake`: a NOTIFY at that commit wakes the queue's idle workers in every process (runner.ts LISTENs), so a job a
 * person is waiting on (an AI reply) starts at once instead of at the next poll.
 */
import { sql } from "drizzle-orm";
import PgBoss from "pg-boss";
import type { Tx } from "@switchboard/db";
import { transactionSql } from "./driver/pg-boss-sql";
import { type JobData, type JobName, jobs, sendOptionsFor } from "./queues";

/** Only builds statements: every send passes the transaction's own connection (`db`). */
const sender = new PgBoss({
  schema: "pgboss",
  db: {
    executeSql: () => Promise.reject(new Error("enqueue() sends through the caller's transaction only")),
  },
});

export interface EnqueueOptions {
  /** Seconds from now, or a date. */
  startAfter?: number | Date;
  retryLimit?: number;
  /** Base of the exponential backoff, in seconds. */
  retryDelay?: number;
  /** Wake the queue's workers at commit instead of their next poll. */
  wake?: boolean;
}

/** The NOTIFY channel of `wake`; the payload is the queue's name. */
export const JOB_WAKE_CHANNEL = "jobs_wake";

export async function enqueue<N extends JobName>(tx: Tx, name: N, data: JobData<N>, options: EnqueueOptions = {}): Promise<string> {
  const payload = jobs[name].parse(data) as object;
  const { startAfter, wake, ...rest } = options;
  const at = typeof startAfter === "number" ? new Date(Date.now() + startAfter * 1000) : startAfter;
  const id = await sender.send(name, payload, { ...sendOptionsFor(name), ...rest, ...(at ? { startAfter: at } : {}), db: transactionSql(tx) });
  if (!id) throw new Error(`job ${name} was not queued: its queue is missing (run the migrations)`);
  if (wake) await tx.execute(sql`select pg_notify(${JOB_WAKE_CHANNEL}, ${name})`);
  return id;
}
