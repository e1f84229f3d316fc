/**
 * Counts and times the database handle's transactions for /metrics (the db package stays free of a metrics
 * library). Every transaction holds one pooled connection from BEGIN to COMMIT; those beyond the pool's size wait
 * for one. Queries outside a transaction (the session lookup) are short and not counted, nor are the few auth steps
 * that open a Drizzle transaction directly (`db.db.transaction`: login throttle, MFA enable/redeem).
 *
 * The handle is instrumented in place, once: its identity matters (the plumbing's caches are kept per handle, and
 * tests write fixtures through the same handle the app uses), and two apps on one handle (tests) share the figures.
 */
import type { DbHandle } from "@switchboard/db";

export interface TransactionStats {
  /** Transactions started and not yet finished: holding a connection or waiting for one. */
  active: number;
  /** Called with each finished transaction's duration in seconds and outcome (the metrics plugin listens). */
  listeners: Set<(seconds: number, outcome: "commit" | "rollback") => void>;
}

const observed = new WeakMap<DbHandle, TransactionStats>();

export function observeTransactions(db: DbHandle): TransactionStats {
  const known = observed.get(db);
  if (known) return known;
  const stats: TransactionStats = { active: 0, listeners: new Set() };
  const transaction = db.transaction.bind(db);
  db.transaction = async (fn) => {
    stats.active++;
    const started = performance.now();
    let outcome: "commit" | "rollback" = "rollback";
    try {
      const result = await transaction(fn);
      outcome = "commit";
      return result;
    } finally {
      stats.active--;
      const seconds = (performance.now() - started) / 1000;
      for (const listener of stats.listeners) listener(seconds, outcome);
    }
  };
  observed.set(db, stats);
  return stats;
}
