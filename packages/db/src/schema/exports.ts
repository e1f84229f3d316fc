import { sql } from "drizzle-orm";
import { bigint, check, foreignKey, index, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenantIsolation } from "./policies";
import { tenants } from "./tenants";

/** What an export may contain (contract v2, privacy and data lifecycle). */
export const exportKind = pgEnum("export_kind", ["calls", "engagements", "messages", "leads", "contacts", "audit"]);
export const exportFormat = pgEnum("export_format", ["ndjson", "csv"]);
export const exportStatus = pgEnum("export_status", ["pending", "running", "ready", "failed"]);

/**
 * A tenant's data export: requested by an admin, written by the `exports.run` job as a gzip file (a directory or an
 * S3-compatible bucket), downloadable through a signed link until `expiresAt`, then removed by `exports.expire`.
 */
export const dataExports = pgTable(
  "exports",
  {
    tenantId: uuid().notNull(),
    id: uuid().defaultRandom().notNull(),
    kinds: exportKind().array().notNull(),
    format: exportFormat().notNull(),
    status: exportStatus().notNull().default("pending"),
    /** Who asked for it (the ready mail goes to the tenant's admins). */
    requestedBy: uuid(),
    requestedByLabel: text().notNull(),
    rows: bigint({ mode: "number" }).notNull().default(0),
    bytes: bigint({ mode: "number" }).notNull().default(0),
    /** Where the file is in the export store (a relative path or an object key); null until written. */
    storageKey: text(),
    /** Why it failed, in words for the admin (never a stack trace or SQL). */
    error: text(),
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true, precision: 3 }),
    finishedAt: timestamp({ withTimezone: true, precision: 3 }),
    /** The file is removed after this (7 days after the request). */
    expiresAt: timestamp({ withTimezone: true, precision: 3 }).notNull(),
    /** Set when the file has been removed from the store (the row stays as a record). */
    removedAt: timestamp({ withTimezone: true, precision: 3 }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete("cascade"),
    // exports.list order and cursor.
    index("exports_tenant_created_idx").on(t.tenantId, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    // exports.expire: files past their date not yet removed.
    index("exports_expiry_idx").on(t.expiresAt).where(sql`removed_at is null and storage_key is not null`),
    check("exports_kinds_not_empty", sql`cardinality(${t.kinds}) between 1 and 6`),
    check("exports_error_length", sql`char_length(${t.error}) <= 500`),
    tenantIsolation("exports"),
  ],
);

export type DataExport = typeof dataExports.$inferSelect;
