import { sql } from "drizzle-orm";
import { check, foreignKey, index, pgEnum, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./policies";
import { tenants } from "./tenants";

/**
 * How a customer is reached. WhatsApp and voice handles are phone numbers (`phone`, E.164); e-mail addresses are
 * lower-cased; social and chat handles are kept as given (trimmed).
 */
export const contactHandleKind = pgEnum("contact_handle_kind", ["email", "phone", "twitter", "facebook", "chat"]);

/** A customer, the same person across channels, calls and leads. */
export const contacts = pgTable(
  "contacts",
  {
    tenantId: uuid().notNull(),
    id: uuid().defaultRandom().notNull(),
    name: text(),
    /** The primary e-mail address and phone number (also present as handles). */
    email: text(),
    phone: text(),
    /** The customer's data was erased (privacy.eraseContact): the row stays as an anonymous placeholder. */
    erasedAt: timestamp({ withTimezone: true, precision: 3 }),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    // contacts.list order and cursor.
    index("contacts_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    check("contacts_name_length", sql`char_length(${t.name}) <= 200`),
    tenantIsolation("contacts"),
  ],
);

/** Every normalised handle of a contact; a handle belongs to one contact per tenant (the matching key). */
export const contactHandles = pgTable(
  "contact_handles",
  {
    tenantId: uuid().notNull(),
    id: uuid().defaultRandom().notNull(),
    contactId: uuid().notNull(),
    kind: contactHandleKind().notNull(),
    value: text().notNull(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      name: "contact_handles_contact_fk",
      columns: [t.tenantId, t.contactId],
      foreignColumns: [contacts.tenantId, contacts.id],
    }).onDelete("cascade"),
    unique("contact_handles_tenant_kind_value_unique").on(t.tenantId, t.kind, t.value),
    index("contact_handles_tenant_contact_idx").on(t.tenantId, t.contactId),
    check("contact_handles_value_length", sql`char_length(${t.value}) between 1 and 320`),
    tenantIsolation("contact_handles"),
  ],
);

export type Contact = typeof contacts.$inferSelect;
export type NewContact = typeof contacts.$inferInsert;
export type ContactHandle = typeof contactHandles.$inferSelect;
