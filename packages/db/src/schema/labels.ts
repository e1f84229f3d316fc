import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { engagements } from "./engagements";
import { tenantIsolation } from "./policies";
import { tenants } from "./tenants";

/** Tags a team puts on conversations (billing, vip, bug…). */
export const labels = pgTable(
  "labels",
  {
    tenantId: uuid().notNull(),
    id: uuid().defaultRandom().notNull(),
    name: text().notNull(),
    /** #rrggbb */
    color: text().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    // One label per name in a tenant, whatever the case; also labels.list's order.
    uniqueIndex("labels_tenant_name_unique").on(t.tenantId, sql`lower(${t.name})`),
    check("labels_name_length", sql`char_length(${t.name}) between 1 and 50`),
    check("labels_color_format", sql`${t.color} ~ '^#[0-9a-fA-F]{6}$'`),
    tenantIsolation("labels"),
  ],
);

export const engagementLabels = pgTable(
  "engagement_labels",
  {
    tenantId: uuid().notNull(),
    engagementId: uuid().notNull(),
    labelId: uuid().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.engagementId, t.labelId] }),
    foreignKey({
      name: "engagement_labels_engagement_fk",
      columns: [t.tenantId, t.engagementId],
      foreignColumns: [engagements.tenantId, engagements.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "engagement_labels_label_fk",
      columns: [t.tenantId, t.labelId],
      foreignColumns: [labels.tenantId, labels.id],
    }).onDelete("cascade"),
    // engagements.list { labelId }.
    index("engagement_labels_tenant_label_idx").on(t.tenantId, t.labelId, t.engagementId),
    tenantIsolation("engagement_labels"),
  ],
);

export type Label = typeof labels.$inferSelect;
