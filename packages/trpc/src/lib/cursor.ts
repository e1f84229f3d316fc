/**
 * Keyset pagination for list procedures: an opaque base64url cursor naming the sort key of a page's last row.
 * Callers must not build cursors; anything malformed is BAD_REQUEST, never a database error. Domain timestamps
 * are stored with millisecond precision, so a cursor's ISO string compares exactly with its column.
 */
import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { badRequest } from "../errors";

export function encodeCursor(values: string[]): string {
  return Buffer.from(JSON.stringify(values)).toString("base64url");
}

/** The `n` values of a cursor; anything else is BAD_REQUEST (never a database error). */
export function decodeCursor(cursor: string, check: (values: string[]) => boolean): string[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(values) && values.every((v) => typeof v === "string") && check(values)) return values;
  } catch {
    // fall through
  }
  throw badRequest("Invalid cursor");
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string | undefined) => v !== undefined && uuidPattern.test(v);
export const isIsoDate = (v: string | undefined) => v !== undefined && v.length <= 40 && !Number.isNaN(Date.parse(v));

/** A `(timestamp, uuid)` cursor, the common case for lists newest- or oldest-first. */
export function decodeTimeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = decodeCursor(cursor, (v) => v.length === 2 && isIsoDate(v[0]) && isUuid(v[1]));
  return { at: new Date(at!), id: id! };
}

export function encodeTimeCursor(at: Date, id: string): string {
  return encodeCursor([at.toISOString(), id]);
}

/** Splits a `limit + 1` page into items and the next cursor. */
export function page<T>(rows: T[], limit: number, cursorOf: (last: T) => string) {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? cursorOf(items[items.length - 1]!) : null };
}

/** `(at, id) < cursor` for lists in `(timestamp desc, id desc)` order; undefined when there is no cursor. */
export function afterCursor(cursor: string | undefined, at: AnyPgColumn, id: AnyPgColumn): SQL | undefined {
  if (!cursor) return undefined;
  const key = decodeTimeCursor(cursor);
  return sql`(${at}, ${id}) < (${key.at.toISOString()}::timestamptz, ${key.id}::uuid)`;
}

/**
 * `afterCursor` for reusable queries (see `reusableQuery`): the condition with placeholders `cursorAt` and
 * `cursorId`, filled by `cursorValues`.
 */
export function afterCursorSlot(at: AnyPgColumn, id: AnyPgColumn): SQL {
  return sql`(${at}, ${id}) < (${sql.placeholder("cursorAt")}::timestamptz, ${sql.placeholder("cursorId")}::uuid)`;
}

export function cursorValues(cursor: string): { cursorAt: string; cursorId: string } {
  const key = decodeTimeCursor(cursor);
  return { cursorAt: key.at.toISOString(), cursorId: key.id };
}

/** `page()` for `(timestamp, id)` lists, mapping rows to their public view. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  key: (row: Row) => { at: Date; id: string },
  view: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const { items, nextCursor } = page(rows, limit, (last) => {
    const k = key(last);
    return encodeTimeCursor(k.at, k.id);
  });
  return { items: items.map(view), nextCursor };
}
