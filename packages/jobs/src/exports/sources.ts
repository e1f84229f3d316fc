/**
 * What each export kind contains: its columns, named as the API names them, read from the schema's own columns so a
 * rename cannot silently drop one. Timestamps are written as the API writes them (ISO-8601 in UTC with a `Z`).
 * NDJSON lines are built by PostgreSQL (`row_to_json`): the job only joins them. CSV rows come as text cells.
 */
import { eq, type SQL, sql } from "drizzle-orm";
import { type PgColumn, PgDialect, type PgTable } from "drizzle-orm/pg-core";
import { auditLog, calls, contacts, type exportKind, engagements, leads, messages } from "@switchboard/db";

export type ExportKind = (typeof exportKind.enumValues)[number];
export type ExportFormat = "ndjson" | "csv";

interface Source {
  table: PgTable;
  tenantColumn: PgColumn;
  columns: [name: string, column: PgColumn][];
}

const sources: Record<ExportKind, Source> = {
  calls: {
    table: calls,
    tenantColumn: calls.tenantId,
    columns: [
      ["id", calls.id],
      ["agentId", calls.agentId],
      ["contactId", calls.contactId],
      ["direction", calls.direction],
      ["customerPhone", calls.customerPhone],
      ["status", calls.status],
      ["startedAt", calls.startedAt],
      ["endedAt", calls.endedAt],
      ["durationSeconds", calls.durationSeconds],
      ["outcome", calls.outcome],
      ["sentiment", calls.sentiment],
      ["transcript", calls.transcript],
      ["erasedAt", calls.erasedAt],
      ["createdAt", calls.createdAt],
      ["updatedAt", calls.updatedAt],
    ],
  },
  engagements: {
    table: engagements,
    tenantColumn: engagements.tenantId,
    columns: [
      ["id", engagements.id],
      ["channel", engagements.channel],
      ["customer", engagements.customer],
      ["subject", engagements.subject],
      ["message", engagements.message],
      ["contactId", engagements.contactId],
      ["status", engagements.status],
      ["priority", engagements.priority],
      ["assignedUserId", engagements.assignedUserId],
      ["firstResponseAt", engagements.firstResponseAt],
      ["resolvedAt", engagements.resolvedAt],
      ["lastMessageAt", engagements.lastMessageAt],
      ["csat", engagements.csat],
      ["csatSource", engagements.csatSource],
      ["csatComment", engagements.csatComment],
      ["erasedAt", engagements.erasedAt],
      ["createdAt", engagements.createdAt],
      ["updatedAt", engagements.updatedAt],
    ],
  },
  messages: {
    table: messages,
    tenantColumn: messages.tenantId,
    columns: [
      ["id", messages.id],
      ["engagementId", messages.engagementId],
      ["kind", messages.kind],
      ["authorType", messages.authorType],
      ["authorId", messages.authorId],
      ["authorName", messages.authorName],
      ["body", messages.body],
      ["externalId", messages.externalId],
      ["deliveryStatus", messages.deliveryStatus],
      ["deliveryError", messages.deliveryError],
      ["redactedAt", messages.redactedAt],
      ["createdAt", messages.createdAt],
    ],
  },
  leads: {
    table: leads,
    tenantColumn: leads.tenantId,
    columns: [
      ["id", leads.id],
      ["name", leads.name],
      ["phone", leads.phone],
      ["email", leads.email],
      ["source", leads.source],
      ["contactId", leads.contactId],
      ["status", leads.status],
      ["erasedAt", leads.erasedAt],
      ["createdAt", leads.createdAt],
      ["updatedAt", leads.updatedAt],
    ],
  },
  contacts: {
    table: contacts,
    tenantColumn: contacts.tenantId,
    columns: [
      ["id", contacts.id],
      ["name", contacts.name],
      ["email", contacts.email],
      ["phone", contacts.phone],
      ["erasedAt", contacts.erasedAt],
      ["createdAt", contacts.createdAt],
      ["updatedAt", contacts.updatedAt],
    ],
  },
  audit: {
    table: auditLog,
    tenantColumn: auditLog.tenantId,
    columns: [
      ["id", auditLog.id],
      ["at", auditLog.at],
      ["actorType", auditLog.actorType],
      ["actorId", auditLog.actorId],
      ["actorLabel", auditLog.actorLabel],
      ["action", auditLog.action],
      ["resourceType", auditLog.resourceType],
      ["resourceId", auditLog.resourceId],
      ["ip", auditLog.ip],
      ["userAgent", auditLog.userAgent],
      ["result", auditLog.result],
      ["reason", auditLog.reason],
    ],
  },
};

/** A timestamp as `2026-12-02T05:29:19.123Z`; anything else as its text. */
function asText(column: PgColumn): SQL {
  return column.columnType === "PgTimestamp" || column.columnType === "PgTimestampString"
    ? sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
    : sql`${column}::text`;
}

/** Where the kind's rows of one tenant are (the RLS scope narrows it too; naming the tenant lets its index serve). */
function fromTenant(source: Source, tenantId: string, where: SQL | undefined): SQL {
  const tenant = eq(source.tenantColumn, tenantId);
  return sql`from ${source.table} where ${where ? sql`${tenant} and ${where}` : tenant}`;
}

/** The header of a kind's CSV. */
export function csvHeader(kind: ExportKind): string[] {
  return sources[kind].columns.map(([name]) => name);
}

/**
 * One row per record: its cells as text (null stays null), in `csvHeader` order, as columns c0, c1, … Without
 * `orderBy`, in the order the table's index gives them (an export); the audit log's CSV passes its filters and order.
 */
export function csvQuery(kind: ExportKind, tenantId: string, where?: SQL, orderBy?: SQL): SQL {
  const source = sources[kind];
  const cells = source.columns.map(([, column], i) => sql`${asText(column)} as ${sql.identifier(`c${i}`)}`);
  const query = sql`select ${sql.join(cells, sql`, `)} ${fromTenant(source, tenantId, where)}`;
  return orderBy ? sql`${query} order by ${orderBy}` : query;
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * One row per record: `line`, its JSON object with `kind` first (numbers stay numbers). Its values are inline (the
 * kind is one of the constants above, the tenant id is checked), so it also runs as one text (ndjsonText).
 */
export function ndjsonQuery(kind: ExportKind, tenantId: string): SQL {
  const source = sources[kind];
  if (!source || !uuidPattern.test(tenantId)) throw new Error("not an export kind or tenant id");
  const fields = source.columns.map(([name, column]) => {
    const value = column.columnType === "PgTimestamp" || column.columnType === "PgTimestampString" ? asText(column) : sql`${column}`;
    return sql`${value} as ${sql.identifier(name)}`;
  });
  const tenant = sql`${source.tenantColumn} = ${sql.raw(`'${tenantId}'::uuid`)}`;
  return sql`select row_to_json(r)::text as line from (select ${sql.raw(`'${kind}'`)} as kind, ${sql.join(fields, sql`, `)} from ${source.table} where ${tenant}) r`;
}

const dialect = new PgDialect({ casing: "snake_case" });

/** `ndjsonQuery` as one SQL text (no parameters), for a postgres.js cursor of raw rows (driver/raw-cursor.ts). */
export function ndjsonText(kind: ExportKind, tenantId: string): string {
  const query = dialect.sqlToQuery(ndjsonQuery(kind, tenantId));
  if (query.params.length) throw new Error("the NDJSON query carries its values inline");
  return query.sql;
}
