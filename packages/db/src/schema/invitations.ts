import { sql } from "drizzle-orm";
import { index, pgPolicy, pgTable, primaryKey, text, timestamp, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { appRole, currentInvitationTokenHash, currentUserVerifiedEmail, tenantIsolation } from "./policies";
import { memberRole, tenants } from "./tenants";
import { users } from "./users";

/** Invitations: every new member is invited and accepts (members.add grants nothing). The token is shown once (in the link); only its hash is kept. */
export const invitations = pgTable(
  "invitations",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    id: uuid().notNull().defaultRandom(),
    /** Lower-cased and trimmed, like users.email. */
    email: text().notNull(),
    role: memberRole().notNull(),
    tokenHash: text().notNull(),
    invitedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    acceptedAt: timestamp({ withTimezone: true }),
    acceptedBy: uuid().references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp({ withTimezone: true }),
    /** Millisecond precision: the invitation lists' cursor compares it exactly. */
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique().on(t.tenantId, t.tokenHash),
    index().on(t.tokenHash),
    index().on(t.tenantId, t.createdAt),
    // One open invitation per email and tenant; re-inviting revokes the previous one first.
    uniqueIndex("invitations_open_email_unique")
      .on(t.tenantId, t.email)
      .where(sql`${t.acceptedAt} is null and ${t.revokedAt} is null`),
    tenantIsolation("invitations"),
    pgPolicy("an invitee reads the invitation whose token they hold", {
      for: "select",
      to: appRole,
      using: sql`${t.tokenHash} = ${currentInvitationTokenHash}`,
    }),
    // invitations.mine: a signed-in user with a verified address sees what is addressed to it, in any tenant.
    pgPolicy("an invitee with a verified address reads invitations addressed to it", {
      for: "select",
      to: appRole,
      using: sql`${t.email} = ${currentUserVerifiedEmail}`,
    }),
  ],
);

export type Invitation = typeof invitations.$inferSelect;
