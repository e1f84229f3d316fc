import { sql } from "drizzle-orm";
import { index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

/**
 * What platform admins did (`platform.audit`): plan changes, suspensions, restores. Global (it spans tenants);
 * each entry is also written to the tenant's own audit log. Append-only for the app role.
 */
export const platformAudit = pgTable(
  "platform_audit",
  {
    id: uuid().primaryKey().defaultRandom(),
    at: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`date_trunc('milliseconds', now())`),
    actorId: uuid().references(() => users.id, { onDelete: "set null" }),
    actorLabel: text().notNull(),
    action: text().notNull(),
    /** The tenant acted on (no foreign key: the entry outlives a purged tenant). */
    targetTenantId: uuid(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    ip: text(),
    userAgent: text(),
  },
  (t) => [index().on(t.at.desc().nullsFirst(), t.id.desc().nullsFirst()), index().on(t.targetTenantId)],
);

export type PlatformAuditEntry = typeof platformAudit.$inferSelect;
