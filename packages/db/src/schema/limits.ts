import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./policies";
import { tenants } from "./tenants";

/**
 * Login attempts, shared by every API replica (a per-process counter would multiply the limit by the replica
 * count). Global like users: an attempt precedes any tenant. The account is kept as the SHA-256 of the email.
 */
export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: uuid().primaryKey().defaultRandom(),
    account: text().notNull(),
    ip: text().notNull(),
    success: boolean().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.account, t.at), index().on(t.ip, t.at), index().on(t.at)],
);

/** Fixed one-minute windows of a tenant's request budget, shared by all its users, keys and API replicas. */
export const requestBudgets = pgTable(
  "request_budgets",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    count: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.windowStart] }), tenantIsolation("request_budgets")],
);

/**
 * Fixed one-minute counters shared by every API replica, keyed by what is limited: `auth:<ip>` (procedures open
 * without a session, per client address), `audit-denied:<tenant id>` (denied audit entries left by non-members).
 * Global (no tenant policy): a bucket holds a count, never tenant data. Old windows are pruned by a job.
 */
export const rateLimitWindows = pgTable(
  "rate_limit_windows",
  {
    bucket: text().notNull(),
    windowStart: timestamp({ withTimezone: true }).notNull(),
    count: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.bucket, t.windowStart] }), index().on(t.windowStart)],
);
