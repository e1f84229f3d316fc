import { sql } from "drizzle-orm";
import { check, foreignKey, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./policies";
import { tenants } from "./tenants";

/** Outside services a tenant connects: Twilio (telephony callbacks) and its own AI provider key. */
export const integrationProvider = pgEnum("integration_provider", ["twilio", "ai"]);

/**
 * One row per tenant and provider. `config` holds what may be shown again (Twilio's account SID); the secret
 * (Twilio's auth token, the AI key) is sealed with ENCRYPTION_KEY, context `integration:<provider>:<tenant id>`,
 * and never returned by any procedure.
 */
export const integrations = pgTable(
  "integrations",
  {
    tenantId: uuid().notNull(),
    provider: integrationProvider().notNull(),
    config: jsonb().$type<Record<string, string>>().notNull().default({}),
    secretCiphertext: text().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.provider] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    tenantIsolation("integrations"),
  ],
);

/** Tokens spent by AI replies: one row per provider call (analytics sums them over a range). */
export const aiUsage = pgTable(
  "ai_usage",
  {
    tenantId: uuid().notNull(),
    id: uuid().defaultRandom().notNull(),
    agentId: uuid(),
    engagementId: uuid(),
    model: text().notNull(),
    promptTokens: integer().notNull().default(0),
    completionTokens: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    index("ai_usage_tenant_created_idx").on(t.tenantId, t.createdAt),
    check("ai_usage_tokens_non_negative", sql`${t.promptTokens} >= 0 and ${t.completionTokens} >= 0`),
    check("ai_usage_model_length", sql`char_length(${t.model}) <= 200`),
    tenantIsolation("ai_usage"),
  ],
);

export type Integration = typeof integrations.$inferSelect;
export type AiUsage = typeof aiUsage.$inferSelect;
