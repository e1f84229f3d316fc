import { sql } from "drizzle-orm";
import { check, foreignKey, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./policies";
import { tenants } from "./tenants";

/** Saved replies, inserted in the composer by typing `/<shortcut>`. */
export const cannedResponses = pgTable(
  "canned_responses",
  {
    tenantId: uuid().notNull(),
    id: uuid().defaultRandom().notNull(),
    shortcut: text().notNull(),
    title: text().notNull(),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    // Also cannedResponses.list's order (by shortcut).
    unique("canned_responses_tenant_shortcut_unique").on(t.tenantId, t.shortcut),
    check("canned_responses_shortcut_format", sql`${t.shortcut} ~ '^[a-z0-9][a-z0-9_-]{0,31}$'`),
    check("canned_responses_title_length", sql`char_length(${t.title}) between 1 and 100`),
    check("canned_responses_body_length", sql`char_length(${t.body}) between 1 and 5000`),
    tenantIsolation("canned_responses"),
  ],
);

export type CannedResponse = typeof cannedResponses.$inferSelect;
