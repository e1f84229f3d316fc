import { sql, type SQL } from "drizzle-orm";
import { check, customType, foreignKey, index, pgEnum, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { engagements } from "./engagements";
import { tenantIsolation } from "./policies";

export const messageKind = pgEnum("message_kind", ["inbound", "outbound", "note"]);
/** How a reply sent out through a provider (Twilio) fared, as the provider reports it; null: not sent out by us. */
export const messageDeliveryStatus = pgEnum("message_delivery_status", ["queued", "sent", "delivered", "failed", "undelivered"]);
export const messageAuthorType = pgEnum("message_author_type", ["customer", "user", "ai_agent", "system"]);

/** PostgreSQL's full-text document type (drizzle-orm has no built-in column for it). */
export const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * The text search configuration of conversations: `simple` (no stemming, no stop words), because customers write in
 * any language. Queries must use the same configuration for the GIN indexes to apply.
 */
export const SEARCH_CONFIG = "simple";

/** One entry of a conversation's thread: the customer's words, a reply, an internal note or a system line. */
export const messages = pgTable(
  "messages",
  {
    tenantId: uuid().notNull(),
    id: uuid().defaultRandom().notNull(),
    engagementId: uuid().notNull(),
    kind: messageKind().notNull(),
    authorType: messageAuthorType().notNull(),
    /** The user, AI agent or contact who wrote it (null for system lines). */
    authorId: uuid(),
    /** The author's name when written, so the thread reads the same after a member leaves. */
    authorName: text().notNull(),
    body: text().notNull(),
    /** The provider's message id (`messages.ingest`): a redelivered message is stored once. */
    externalId: text(),
    /** `messages.send` retries return the first message. */
    idempotencyKey: text(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Replies on provider channels (SMS, WhatsApp through Twilio): queued → sent → delivered, or failed/undelivered. */
    deliveryStatus: messageDeliveryStatus(),
    /** The provider's reason when it failed (its error code and message), never a credential. */
    deliveryError: text(),
    /** The body was removed (retention, or the customer's erasure): it reads '' and the row's metadata stays. */
    redactedAt: timestamp({ withTimezone: true, precision: 3 }),
    /** Full-text document of the body, kept by the database (search in engagements.list `q`). */
    search: tsvector().generatedAlwaysAs((): SQL => sql`to_tsvector('simple', body)`),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "messages_engagement_fk",
      columns: [t.tenantId, t.engagementId],
      foreignColumns: [engagements.tenantId, engagements.id],
    }).onDelete("cascade"),
    unique("messages_tenant_external_id_unique").on(t.tenantId, t.externalId),
    unique("messages_tenant_idempotency_key_unique").on(t.tenantId, t.idempotencyKey),
    // messages.list: a thread, oldest first.
    index("messages_tenant_engagement_created_idx").on(t.tenantId, t.engagementId, t.createdAt, t.id),
    index("messages_search_idx").using("gin", t.search),
    // Retention: a tenant's bodies older than a date, not yet removed. Built CONCURRENTLY (online/0023).
    index("messages_tenant_retention_idx").on(t.tenantId, t.createdAt).where(sql`redacted_at is null`),
    check("messages_body_length", sql`char_length(${t.body}) <= 20000`),
    check("messages_author_name_length", sql`char_length(${t.authorName}) <= 200`),
    tenantIsolation("messages"),
  ],
);

export type Message = typeof messages.$inferSelect;
export type NewMessage = typeof messages.$inferInsert;
