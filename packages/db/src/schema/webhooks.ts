import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { tenantIsolation } from "./policies";
import { tenants } from "./tenants";

/** The events an endpoint may subscribe to (contract v2, integrations). */
export const webhookEventTypes = [
  "engagement.created",
  "engagement.updated",
  "message.created",
  "call.created",
  "call.updated",
  "lead.created",
  "lead.updated",
  "ping",
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export const webhookDeliveryStatus = pgEnum("webhook_delivery_status", ["pending", "delivered", "failed"]);

/** A tenant's receiver of signed events (Standard Webhooks). The secret is sealed with ENCRYPTION_KEY. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    tenantId: uuid().notNull(),
    id: uuid().defaultRandom().notNull(),
    url: text().notNull(),
    events: text().array().notNull(),
    enabled: boolean().notNull().default(true),
    description: text(),
    /** `whsec_…` sealed (auth's `seal`); shown once at creation, never returned again. */
    secretCiphertext: text().notNull(),
    /** First failure of the current run of failures (null after a success): 3 days of it disables the endpoint. */
    failingSince: timestamp({ withTimezone: true, precision: 3 }),
    /** Why it was switched off by the platform (null when enabled, or disabled by a person). */
    disabledReason: text(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    index("webhook_endpoints_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    check("webhook_endpoints_url_length", sql`char_length(${t.url}) between 8 and 2048`),
    check("webhook_endpoints_events_count", sql`cardinality(${t.events}) between 1 and 16`),
    check("webhook_endpoints_description_length", sql`char_length(${t.description}) <= 200`),
    tenantIsolation("webhook_endpoints"),
  ],
);

/**
 * The outbox: one row per event that had at least one subscribed endpoint, written in the transaction that made
 * the change (a rollback sends nothing; a commit always sends). `data` is the event's payload as sent. Its deliveries
 * (one per subscribed endpoint) are queued after the commit by the dispatchers' fan-out (migration 0031).
 */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    tenantId: uuid().notNull(),
    id: uuid().defaultRandom().notNull(),
    type: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>().notNull(),
    /** The engagement, call or lead the event is about (its deliveries are sent in commit order); null: unordered. */
    orderKey: uuid(),
    /**
     * Set while the event waits for its fan-out (its deliveries not queued yet), cleared by it. Drawn under the order
     * key's lock (held until commit), so the events of one key are fanned out in commit order.
     */
    fanOutSeq: bigint({ mode: "number" }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    index("webhook_events_tenant_created_idx").on(t.tenantId, t.createdAt),
    // The fan-out's scan: events not fanned out yet, across tenants (a SECURITY DEFINER function). Built CONCURRENTLY
    // by the online step 0031.
    index("webhook_events_fan_out_idx").on(t.fanOutSeq).where(sql`fan_out_seq is not null`),
    tenantIsolation("webhook_events"),
  ],
);

/**
 * One event for one endpoint. `seq` orders deliveries of the same `orderKey` (the engagement, call or lead) to the
 * same endpoint — a queue: a later one waits (not `ready`) while an earlier one is still pending, so a receiver sees
 * them in commit order.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    tenantId: uuid().notNull(),
    id: uuid().defaultRandom().notNull(),
    seq: bigserial({ mode: "number" }).notNull(),
    webhookId: uuid().notNull(),
    eventId: uuid().notNull(),
    /** Copied from the event for the log (`webhooks.deliveries` items' `event`). */
    eventType: text().notNull(),
    /** The engagement, call or lead the event is about (null: unordered, e.g. `ping`). */
    orderKey: uuid(),
    status: webhookDeliveryStatus().notNull().default("pending"),
    /**
     * Pending and first of its queue (its endpoint and order key): the only deliveries the dispatcher claims. Kept by
     * triggers (migration 0028), never written by the application: set on insert when no earlier delivery of the
     * queue is pending, handed to the next one when the first stops being pending. Unordered ones are always ready.
     */
    ready: boolean().notNull().default(true),
    attempts: integer().notNull().default(0),
    lastStatusCode: integer(),
    /** A short reason for the last failure (timeout, refused address, status): never the response body. */
    lastError: text(),
    nextAttemptAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Set while a dispatcher holds it; a crashed dispatcher's lease runs out and another takes it. */
    leaseUntil: timestamp({ withTimezone: true, precision: 3 }),
    deliveredAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    foreignKey({
      name: "webhook_deliveries_endpoint_fk",
      columns: [t.tenantId, t.webhookId],
      foreignColumns: [webhookEndpoints.tenantId, webhookEndpoints.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "webhook_deliveries_event_fk",
      columns: [t.tenantId, t.eventId],
      foreignColumns: [webhookEvents.tenantId, webhookEvents.id],
    }).onDelete("cascade"),
    // webhooks.deliveries: an endpoint's log, newest first (and by status).
    index("webhook_deliveries_endpoint_created_idx").on(t.tenantId, t.webhookId, t.createdAt.desc(), t.id.desc()),
    // The dispatcher's scan: due deliveries at the head of their queue, across tenants (claimed by a SECURITY DEFINER
    // function). Built CONCURRENTLY by the online step 0028; it replaces webhook_deliveries_due_idx (all pending).
    index("webhook_deliveries_ready_idx").on(t.nextAttemptAt).where(sql`status = 'pending' and ready`),
    // "Is an earlier delivery of the same thing to the same endpoint still pending?"
    index("webhook_deliveries_order_idx").on(t.tenantId, t.webhookId, t.orderKey, t.seq).where(sql`status = 'pending'`),
    index("webhook_deliveries_event_idx").on(t.tenantId, t.eventId),
    tenantIsolation("webhook_deliveries"),
  ],
);


export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
