import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { contacts } from "./contacts";
import { tenantIsolation } from "./policies";
import { tenants } from "./tenants";

export const leadStatus = pgEnum("lead_status", ["new", "contacted", "qualified", "converted", "lost"]);

export const leads = pgTable(
  "leads",
  {
    tenantId: uuid().notNull(),
    id: uuid().defaultRandom().notNull(),
    name: text().notNull(),
    phone: text(),
    email: text(),
    source: text(),
    /** The person (matched by e-mail or phone, or created with the lead). */
    contactId: uuid(),
    status: leadStatus().notNull().default("new"),
    /** The person's data was erased (privacy.eraseContact): name, phone and e-mail anonymised; status stays. */
    erasedAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    foreignKey({ name: "leads_contact_fk", columns: [t.tenantId, t.contactId], foreignColumns: [contacts.tenantId, contacts.id] }),
    // contacts.get's leads, newest first. Built CONCURRENTLY (migrations/online/0014).
    index("leads_tenant_contact_created_idx").on(t.tenantId, t.contactId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("leads_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("leads_tenant_status_created_idx").on(t.tenantId, t.status, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    check("leads_name_length", sql`char_length(${t.name}) between 1 and 200`),
    tenantIsolation("leads"),
  ],
);

export type Lead = typeof leads.$inferSelect;
export type NewLead = typeof leads.$inferInsert;
