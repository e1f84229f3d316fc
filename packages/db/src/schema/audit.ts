import { sql } from "drizzle-orm";
import { index, jsonb, pgEnum, pgPolicy, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { appRole, currentTenantId } from "./policies";
import { tenants } from "./tenants";

export const auditActorType = pgEnum("audit_actor_type", ["user", "apiKey"]);
export const auditResult = pgEnum("audit_result", ["success", "denied"]);

/**
 * The audit trail: one row per tenant mutation (success, same transaction) or refused attempt (denied).
 * Append-only for the app role: policies and grants allow SELECT and INSERT, nothing else.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    id: uuid().notNull().defaultRandom(),
    /** Millisecond precision, so the (at, id) cursor round-trips through JavaScript dates exactly. */
    at: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`date_trunc('milliseconds', now())`),
    actorType: auditActorType().notNull(),
    actorId: uuid().notNull(),
    actorLabel: text().notNull(),
    action: text().notNull(),
    resourceType: text().notNull(),
    resourceId: text(),
    ip: text(),
    userAgent: text(),
    result: auditResult().notNull(),
    /** For denied entries: the error code the caller got. */
    reason: text(),
    /**
     * What the action did, in figures and ids (e.g. an erasure's counts per table) — never personal data or secrets:
     * the log outlives erasures.
     */
    details: jsonb().$type<Record<string, unknown>>(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index().on(t.tenantId, t.at.desc().nullsFirst(), t.id.desc().nullsFirst()),
    pgPolicy("audit entries are read inside their tenant", {
      for: "select",
      to: appRole,
      using: sql`${t.tenantId} = ${currentTenantId}`,
    }),
    pgPolicy("audit entries are appended inside their tenant", {
      for: "insert",
      to: appRole,
      withCheck: sql`${t.tenantId} = ${currentTenantId}`,
    }),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;
