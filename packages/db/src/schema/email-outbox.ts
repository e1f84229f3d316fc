import { sql } from "drizzle-orm";
import { index, integer, pgPolicy, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { appRole, currentTenantId } from "./policies";
import { tenants } from "./tenants";

/**
 * Mail waiting to be sent: written (rendered) in the same transaction as the change that causes it, together
 * with the job that sends it (outbox). Tenant mail (invitations) carries its tenant and is read only in that
 * tenant's scope; account mail (verification, password reset) has no tenant. Once sent, the bodies are replaced
 * by a redacted copy: no live token stays here in plain text.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Null for account mail (no tenant). */
    tenantId: uuid().references(() => tenants.id, { onDelete: "cascade" }),
    /** The template: `verify-email`, `invitation`, `password-reset`, … */
    kind: text().notNull(),
    to: text().notNull(),
    subject: text().notNull(),
    /** Plain-text body. */
    body: text().notNull(),
    html: text(),
    attempts: integer().notNull().default(0),
    lastError: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index().on(t.tenantId, t.createdAt),
    index().on(t.createdAt),
    pgPolicy("tenant mail stays inside its tenant", {
      for: "all",
      to: appRole,
      using: sql`${t.tenantId} = ${currentTenantId}`,
      withCheck: sql`${t.tenantId} = ${currentTenantId}`,
    }),
    // Outside any tenant's scope only: a tenant-scoped transaction never sees another person's account mail.
    pgPolicy("account mail belongs to no tenant", {
      for: "all",
      to: appRole,
      using: sql`${t.tenantId} is null and ${currentTenantId} is null`,
      withCheck: sql`${t.tenantId} is null and ${currentTenantId} is null`,
    }),
  ],
);

export type OutboxEmail = typeof emailOutbox.$inferSelect;
