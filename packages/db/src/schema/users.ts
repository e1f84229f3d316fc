import { bigint, boolean, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

// Users and their sessions are global (a person belongs to many tenants), so they carry no tenant_id and no
// tenant policy. The app role reads them only through packages/auth.

export const users = pgTable("users", {
  id: uuid().primaryKey().defaultRandom(),
  /** Stored lower-cased and trimmed; unique. */
  email: text().notNull().unique(),
  name: text().notNull(),
  passwordHash: text().notNull(),
  isPlatformAdmin: boolean().notNull().default(false),
  /** Set when the address was proven (verification link, or an invitation link mailed to it). */
  emailVerifiedAt: timestamp({ withTimezone: true }),
  /** TOTP secret, encrypted with ENCRYPTION_KEY (never stored in plain text); set by auth.mfa.setup. */
  mfaSecret: text(),
  /** Set when MFA was enabled with a valid code; null while off (a pending setup keeps only the secret). */
  mfaEnabledAt: timestamp({ withTimezone: true }),
  /** The last TOTP time step (unix seconds / 30) accepted for this account: a code is never accepted twice. */
  mfaLastStep: bigint({ mode: "number" }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const sessions = pgTable(
  "sessions",
  {
    /** SHA-256 of the cookie token: a database leak yields no usable session. */
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Idle expiry, slid forward on use. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    /** Absolute lifetime is measured from here. Millisecond precision: auth.sessions' cursor compares it exactly. */
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    ip: text(),
    userAgent: text(),
    /** Last time the session was seen (written at most once per idle half-window, with the expiry). */
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.userId), index().on(t.expiresAt)],
);

/**
 * Single-use tokens that carry a signed-in user from one tenant subdomain to another. Browsers keep host-only
 * cookies per subdomain (and refuse `Domain=localhost`), so switching tenants exchanges one of these for a new
 * session on the target host instead of asking for the password again.
 */
export const sessionHandoffs = pgTable("session_handoffs", {
  tokenHash: text().primaryKey(),
  userId: uuid()
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  targetTenantId: uuid().notNull(),
  expiresAt: timestamp({ withTimezone: true }).notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
}, (t) => [index().on(t.expiresAt)]);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Session = typeof sessions.$inferSelect;
