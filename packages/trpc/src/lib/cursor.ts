/**
 * Keyset pagination for list procedures: rows in a stable `(timestamp desc, id desc)` order, and an opaque
 * base64url cursor naming the last row of a page. Timestamps are stored with millisecond precision, so the
 * cursor's ISO string compares exactly with the column.
 */
import { type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import { badRequest } from "../errors";

const cursorShape = z.tuple([z.iso.datetime(), z.uuid()]);

export interface CursorKey {
  at: Date;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.at.toISOString(), key.id])).toString("base64url");
}

export function decodeCursor(cursor: string): CursorKey {
  try {
    const [at, id] = cursorShape.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return { at: new Date(at), id };
  } catch {
    throw badRequest("Invalid cursor");
  }
}

/** `(at, id) < cursor` in the list's descending order; true when there is no cursor. */
export function afterCursor(cursor: string | undefined, at: AnyPgColumn, id: AnyPgColumn): SQL | undefined {
  if (!cursor) return undefined;
  const key = decodeCursor(cursor);
  return sql`(${at}, ${id}) < (${key.at.toISOString()}::timestamptz, ${key.id}::uuid)`;
}

/** Cuts the `limit + 1` rows a list fetched into a page and the cursor of its last row. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  key: (row: Row) => CursorKey,
  view: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(view), nextCursor: rows.length > limit && last ? encodeCursor(key(last)) : null };
}
