/**
 * Keyset pagination, the one way every list pages: a list names its order once (`newestFirst`, `oldestFirst`,
 * `bySlug`: key columns, unique together, and how to read them off a row), then
 *   `.where(and(filters…, afterCursor(input.cursor, order))).orderBy(...orderOf(order)).limit(input.limit + 1)`
 * and `toPage(rows, input.limit, order, view)`. Reusable queries use `afterCursorSlot` + `cursorValues` instead of
 * `afterCursor`.
 *
 * The cursor is opaque (base64url of the last row's key values); callers must not build one. Anything malformed is
 * BAD_REQUEST, never a database error. Domain timestamps are stored with millisecond precision, so a cursor's ISO
 * string compares exactly with its column.
 */
import { asc, desc, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { badRequest } from "../errors";

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (v: string | undefined) => v !== undefined && uuidPattern.test(v);
export const isIsoDate = (v: string | undefined) => v !== undefined && v.length <= 40 && !Number.isNaN(Date.parse(v));

/** How a key value is checked in a cursor and typed in SQL. */
const kinds = {
  timestamp: { check: isIsoDate, cast: "::timestamptz" },
  uuid: { check: isUuid, cast: "::uuid" },
  /** A derived 32-hex-digit reference (e.g. a session's). */
  hex: { check: (v: string | undefined) => v !== undefined && /^[0-9a-f]{32}$/.test(v), cast: "" },
  text: { check: (v: string | undefined) => v !== undefined, cast: "" },
} as const;
type Kind = keyof typeof kinds;

/** A list's order: its key columns (unique together; the last one breaks ties), their direction, a row's key. */
export interface ListOrder<Row> {
  readonly columns: readonly (readonly [column: SQLWrapper, kind: Kind])[];
  readonly direction: "asc" | "desc";
  readonly keyOf: (row: Row) => readonly (Date | string)[];
}

/** `(timestamp, id)` descending: the newest first (most lists). */
export function newestFirst<Row>(
  at: SQLWrapper,
  id: SQLWrapper,
  keyOf: (row: Row) => readonly [Date, string],
  idKind: Kind = "uuid",
): ListOrder<Row> {
  return { columns: [[at, "timestamp"], [id, idKind]], direction: "desc", keyOf };
}

/** `(timestamp, id)` ascending: the oldest first. */
export function oldestFirst<Row>(at: SQLWrapper, id: SQLWrapper, keyOf: (row: Row) => readonly [Date, string]): ListOrder<Row> {
  return { columns: [[at, "timestamp"], [id, "uuid"]], direction: "asc", keyOf };
}

/** A unique text column ascending (tenants by slug). */
export function bySlug<Row>(slug: SQLWrapper, keyOf: (row: Row) => string): ListOrder<Row> {
  return { columns: [[slug, "text"]], direction: "asc", keyOf: (row) => [keyOf(row)] };
}

/** The `ORDER BY` terms of `order`. */
export function orderOf(order: ListOrder<never>): SQL[] {
  const by = order.direction === "desc" ? desc : asc;
  return order.columns.map(([column]) => by(column));
}

/** The key values of a cursor for `order`; anything else is BAD_REQUEST (never a database error). */
function decode(cursor: string, order: ListOrder<never>): string[] {
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (
      Array.isArray(values) &&
      values.length === order.columns.length &&
      values.every((v, i) => typeof v === "string" && kinds[order.columns[i]![1]].check(v))
    ) {
      return values as string[];
    }
  } catch {
    // fall through
  }
  throw badRequest("Invalid cursor");
}

/** `(key columns) < (values)` (`>` ascending): the rows after the cursor's row in `order`. */
function after(order: ListOrder<never>, values: readonly SQL[]): SQL {
  const columns = sql.join(
    order.columns.map(([column]) => sql`${column}`),
    sql`, `,
  );
  return sql`(${columns}) ${sql.raw(order.direction === "desc" ? "<" : ">")} (${sql.join([...values], sql`, `)})`;
}

const typed = (order: ListOrder<never>, i: number, value: SQL) => sql`${value}${sql.raw(kinds[order.columns[i]![1]].cast)}`;

/** The rows after `cursor` in `order`; undefined when there is no cursor (the first page). */
export function afterCursor(cursor: string | undefined, order: ListOrder<never>): SQL | undefined {
  if (!cursor) return undefined;
  return after(
    order,
    decode(cursor, order).map((v, i) => typed(order, i, sql`${v}`)),
  );
}

/** `afterCursor` for reusable queries: the condition with placeholders `after0`, `after1`, … (`cursorValues`). */
export function afterCursorSlot(order: ListOrder<never>): SQL {
  return after(
    order,
    order.columns.map((_, i) => typed(order, i, sql`${sql.placeholder(`after${i}`)}`)),
  );
}

export function cursorValues(cursor: string, order: ListOrder<never>): Record<`after${number}`, string> {
  return Object.fromEntries(decode(cursor, order).map((v, i) => [`after${i}`, v]));
}

function encode(key: readonly (Date | string)[]): string {
  return Buffer.from(JSON.stringify(key.map((v) => (v instanceof Date ? v.toISOString() : v)))).toString("base64url");
}

/** Splits a `limit + 1` page into its items (mapped by `view`) and the next cursor (null on the last page). */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  order: ListOrder<Row>,
  view: (row: Row) => Item,
): { items: Item[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  return {
    items: items.map(view),
    nextCursor: rows.length > limit ? encode(order.keyOf(items[items.length - 1]!)) : null,
  };
}
