import { sql } from "drizzle-orm";
import { check, foreignKey, index, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./policies";
import { tenants } from "./tenants";

export const agentType = pgEnum("agent_type", ["voice", "chat"]);

export interface AgentConfiguration {
  prompt: string;
  voice?: string;
  language: string;
  greeting?: string;
  /** Chat agents answering conversations (AI replies): the model, and an OpenAI-compatible base URL (else AI_BASE_URL). */
  provider?: { model: string; baseUrl?: string };
}

/** AI agent configurations (the bots that answer calls and chats). */
export const agents = pgTable(
  "agents",
  {
    tenantId: uuid().notNull(),
    id: uuid().defaultRandom().notNull(),
    name: text().notNull(),
    type: agentType().notNull(),
    configuration: jsonb().$type<AgentConfiguration>().notNull(),
    // Millisecond precision: timestamps round-trip exactly through JS Dates and list cursors.
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    // Tenant first: the key a Citus deployment distributes by (README). Target of the composite foreign keys
    // that point at agents: a child row can only point at a parent of its own tenant.
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("agents_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    check("agents_name_length", sql`char_length(${t.name}) between 1 and 100`),
    tenantIsolation("agents"),
  ],
);

export type Agent = typeof agents.$inferSelect;
export type NewAgent = typeof agents.$inferInsert;
