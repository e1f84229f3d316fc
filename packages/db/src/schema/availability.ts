import { foreignKey, pgEnum, pgTable, primaryKey, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./policies";
import { tenants } from "./tenants";
import { users } from "./users";

export const availabilityStatus = pgEnum("availability_status", ["online", "away", "offline"]);

/** A member's availability in a tenant, and when routing last gave them a conversation (round-robin ties). */
export const availability = pgTable(
  "availability",
  {
    tenantId: uuid().notNull(),
    userId: uuid().notNull(),
    status: availabilityStatus().notNull().default("offline"),
    lastAssignedAt: timestamp({ withTimezone: true, precision: 3 }),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    foreignKey({ columns: [t.userId], foreignColumns: [users.id] }).onDelete("cascade"),
    tenantIsolation("availability"),
  ],
);

export type Availability = typeof availability.$inferSelect;
