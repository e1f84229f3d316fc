import { sql } from "drizzle-orm";
import { check, index, pgPolicy, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { appRole, currentApiKeyHash, tenantIsolation } from "./policies";
import { memberRole, tenants } from "./tenants";
import { users } from "./users";

/** API keys: bound to one tenant and a role; only the SHA-256 of the key is stored. */
export const apiKeys = pgTable(
  "api_keys",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    id: uuid().notNull().defaultRandom(),
    name: text().notNull(),
    role: memberRole().notNull(),
    /** The first characters of the key, to recognise it in lists. */
    prefix: text().notNull(),
    keyHash: text().notNull(),
    createdBy: uuid().references(() => users.id, { onDelete: "set null" }),
    /** Millisecond precision: apiKeys.list's cursor compares it exactly. */
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Updated at most once a minute (see the API-key admission in trpc.ts). */
    lastUsedAt: timestamp({ withTimezone: true }),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique().on(t.tenantId, t.keyHash),
    index().on(t.keyHash),
    index().on(t.tenantId, t.createdAt),
    check("api_keys_role_not_owner", sql`${t.role} <> 'owner'`),
    tenantIsolation("api_keys"),
    // Authentication happens before the tenant is known: the presented key's hash is the only scope.
    pgPolicy("a presented key reads exactly its own row", {
      for: "select",
      to: appRole,
      using: sql`${t.keyHash} = ${currentApiKeyHash}`,
    }),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;
