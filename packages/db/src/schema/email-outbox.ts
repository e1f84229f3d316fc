import { index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./policies";
import { tenants } from "./tenants";

/**
 * Mail waiting to be sent (invitations). Written in the same transaction as the change that causes it; a mailer
 * reads unsent rows and sets `sent_at`. The API never sends mail itself.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    id: uuid().notNull().defaultRandom(),
    kind: text().notNull(),
    to: text().notNull(),
    subject: text().notNull(),
    body: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index().on(t.tenantId, t.createdAt),
    tenantIsolation("email_outbox"),
  ],
);

export type OutboxEmail = typeof emailOutbox.$inferSelect;
