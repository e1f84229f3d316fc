import { sql } from "drizzle-orm";
import { index, integer, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users";

// Account-level identity records: global like users (a person precedes any tenant), so no tenant_id and no
// tenant policy. The app role reaches them only through packages/auth and the auth services.

export const userTokenPurpose = pgEnum("user_token_purpose", ["verify_email", "reset_password"]);

/**
 * Single-use tokens mailed to a user: e-mail verification (24 h) and password reset (1 h). The link carries the
 * token; only its SHA-256 is stored. `email` is the address the token was sent to: a verification proves that
 * address only (it is void once the account's address differs).
 */
export const userTokens = pgTable(
  "user_tokens",
  {
    tokenHash: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: userTokenPurpose().notNull(),
    email: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.userId, t.purpose), index().on(t.expiresAt)],
);

/**
 * The second step of a sign-in with MFA: `auth.login` answers a challenge (its token is returned once; the
 * SHA-256 is stored), `auth.loginMfa` redeems it with a code. Lives 5 minutes and allows 5 codes.
 */
export const mfaChallenges = pgTable(
  "mfa_challenges",
  {
    idHash: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    attempts: integer().notNull().default(0),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index().on(t.userId), index().on(t.expiresAt)],
);

/** Single-use MFA recovery codes (10 per enablement), stored as SHA-256. */
export const mfaRecoveryCodes = pgTable(
  "mfa_recovery_codes",
  {
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text().notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/**
 * The account's security log (`auth.securityLog`): sign-ins, failed sign-ins, password and MFA changes, session
 * revocations. Append-only for the app role.
 */
export const securityEvents = pgTable(
  "security_events",
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Millisecond precision, so the (at, id) cursor round-trips through JavaScript dates exactly. */
    at: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`date_trunc('milliseconds', now())`),
    event: text().notNull(),
    ip: text(),
    userAgent: text(),
  },
  (t) => [index().on(t.userId, t.at.desc().nullsFirst(), t.id.desc().nullsFirst())],
);

export type UserToken = typeof userTokens.$inferSelect;
export type MfaChallenge = typeof mfaChallenges.$inferSelect;
export type SecurityEvent = typeof securityEvents.$inferSelect;
