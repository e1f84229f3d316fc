import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  foreignKey,
  index,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { contacts } from "./contacts";
import { messages } from "./messages";
import { tenantIsolation } from "./policies";
import { tenants } from "./tenants";
import { users } from "./users";

export const engagementChannel = pgEnum("engagement_channel", ["whatsapp", "sms", "email", "twitter", "facebook", "voice", "chat"]);
export const engagementStatus = pgEnum("engagement_status", ["new", "open", "resolved"]);
export const engagementPriority = pgEnum("engagement_priority", ["low", "normal", "high", "urgent"]);
export const engagementEventType = pgEnum("engagement_event_type", ["created", "updated", "message"]);
/** Who gave the CSAT rating: the customer through the survey link, or an agent (engagements.rate). */
export const csatSource = pgEnum("csat_source", ["customer", "agent"]);

/** Customer conversations across channels. */
export const engagements = pgTable(
  "engagements",
  {
    tenantId: uuid().notNull(),
    id: uuid().defaultRandom().notNull(),
    channel: engagementChannel().notNull(),
    /** The customer's handle on that channel: phone number, email address, @handle. */
    customer: text().notNull(),
    subject: text(),
    /**
     * Legacy (before migration 0014): the customer's first message, now the thread's first row in `messages`. The
     * online step 0014 moves every value there and clears it; nothing reads or writes it. Dropped in a later
     * release, once every installation has run that step (expand, then contract).
     */
    message: text(),
    /** The customer (matched by handle, or created with the engagement). */
    contactId: uuid(),
    status: engagementStatus().notNull().default("new"),
    priority: engagementPriority().notNull().default("normal"),
    assignedUserId: uuid().references(() => users.id, { onDelete: "set null" }),
    firstResponseAt: timestamp({ withTimezone: true, precision: 3 }),
    /** When the AI agent gave the conversation to people (keyword, maxTurns, provider failure): it answers no more. */
    aiHandedOffAt: timestamp({ withTimezone: true, precision: 3 }),
    resolvedAt: timestamp({ withTimezone: true, precision: 3 }),
    /** When the thread last changed (a message, a reply or a note); the inbox's "new activity" marker. */
    lastMessageAt: timestamp({ withTimezone: true, precision: 3 }),
    /** The first-response promise: creation + `sla.firstResponseMinutes` counted in business hours (null: no SLA). */
    firstResponseDueAt: timestamp({ withTimezone: true, precision: 3 }),
    csat: smallint(),
    csatSource: csatSource(),
    csatComment: text(),
    idempotencyKey: text(),
    /** The customer's data was erased (privacy.eraseContact): handle, subject and comment anonymised; counts stay. */
    erasedAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    // Tenant first (see agents); target of engagement_events' composite foreign key.
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    foreignKey({
      name: "engagements_contact_fk",
      columns: [t.tenantId, t.contactId],
      foreignColumns: [contacts.tenantId, contacts.id],
    }),
    unique("engagements_tenant_idempotency_key_unique").on(t.tenantId, t.idempotencyKey),
    // engagements.list order and cursor; analytics ranges use its leading (tenant_id, created_at).
    index("engagements_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("engagements_tenant_status_created_idx").on(t.tenantId, t.status, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("engagements_tenant_channel_created_idx").on(t.tenantId, t.channel, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // Filters of engagements.list, each in the list's order. Built CONCURRENTLY (migrations/online/0014).
    index("engagements_tenant_assignee_created_idx").on(t.tenantId, t.assignedUserId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // Routing and availability.list count a person's open conversations: `resolved_at is null` (a null test, usable
    // under RLS where the status enum comparison is not). Built CONCURRENTLY (online migration 0017).
    index("engagements_tenant_assignee_open_idx").on(t.tenantId, t.assignedUserId).where(sql`resolved_at is null`),
    index("engagements_tenant_contact_created_idx").on(t.tenantId, t.contactId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // engagements.list { q }: the subject's words (message bodies: messages_search_idx). No coalesce(): the planner
    // treats it as leaky, and a leaky expression is never an index condition under RLS (migration 0016).
    index("engagements_subject_search_idx").using("gin", sql`to_tsvector('simple', ${t.subject})`),
    check("engagements_csat_range", sql`${t.csat} between 1 and 5`),
    check("engagements_customer_length", sql`char_length(${t.customer}) between 1 and 320`),
    check("engagements_csat_comment_length", sql`char_length(${t.csatComment}) <= 2000`),
    tenantIsolation("engagements"),
  ],
);

/**
 * One row per engagement change, written in the change's transaction. The id orders events (per tenant, writers
 * take an advisory lock before inserting, so ids also commit in order) and is the SSE event id clients resume from.
 */
export const engagementEvents = pgTable(
  "engagement_events",
  {
    tenantId: uuid().notNull(),
    id: bigint({ mode: "number" }).notNull().generatedAlwaysAsIdentity(),
    engagementId: uuid().notNull(),
    type: engagementEventType().notNull(),
    /** For `message` events: the message added to the thread. */
    messageId: uuid(),
    at: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: "engagement_events_engagement_fk",
      columns: [t.tenantId, t.engagementId],
      foreignColumns: [engagements.tenantId, engagements.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "engagement_events_message_fk",
      columns: [t.tenantId, t.messageId],
      foreignColumns: [messages.tenantId, messages.id],
    }).onDelete("cascade"),
    // Also the stream's read order (events of a tenant after an id).
    primaryKey({ columns: [t.tenantId, t.id] }),
    // The two cascading foreign keys' lookups: deleting a message or an engagement (purge, erasure) finds its events
    // here instead of walking every event of the tenant. Built CONCURRENTLY (online/0026).
    index("engagement_events_tenant_message_idx").on(t.tenantId, t.messageId),
    index("engagement_events_tenant_engagement_idx").on(t.tenantId, t.engagementId),
    tenantIsolation("engagement_events"),
  ],
);

export type Engagement = typeof engagements.$inferSelect;
export type NewEngagement = typeof engagements.$inferInsert;
export type EngagementEvent = typeof engagementEvents.$inferSelect;
