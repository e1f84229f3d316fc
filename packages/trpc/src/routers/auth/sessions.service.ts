/**
 * The caller's sessions as `auth.sessions` shows them. A session's stored id is the hash its cookie is looked up by,
 * so it is never shown: each session appears under a ref derived from it (`sessionRef`, computed here in SQL too).
 */
import { and, desc, eq, gt, sql } from "drizzle-orm";
import { sessionRef } from "@switchboard/auth";
import { type Executor, sessions } from "@switchboard/db";
import { decodeCursor, encodeCursor, isIsoDate, page } from "../../lib/cursor";

/** `sessionRef(id)` in PostgreSQL: the first 32 hex digits of SHA-256("session:" || id). */
const refSql = sql<string>`left(encode(sha256(convert_to('session:' || ${sessions.id}, 'UTF8')), 'hex'), 32)`;

export async function listSessions(
  db: Executor,
  userId: string,
  currentSessionId: string,
  input: { limit: number; cursor?: string | undefined },
) {
  const after = input.cursor
    ? decodeCursor(input.cursor, (v) => v.length === 2 && isIsoDate(v[0]) && /^[0-9a-f]{32}$/.test(v[1]!))
    : null;
  const rows = await db
    .select({ id: sessions.id, ref: refSql, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, ip: sessions.ip, userAgent: sessions.userAgent })
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        gt(sessions.expiresAt, sql`now()`),
        after ? sql`(${sessions.createdAt}, ${refSql}) < (${after[0]}::timestamptz, ${after[1]})` : undefined,
      ),
    )
    .orderBy(desc(sessions.createdAt), desc(refSql))
    .limit(input.limit + 1);
  const { items, nextCursor } = page(rows, input.limit, (last) => encodeCursor([last.createdAt.toISOString(), last.ref]));
  return {
    items: items.map((s) => ({
      id: s.ref,
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      ip: s.ip,
      userAgent: s.userAgent,
      current: s.id === currentSessionId,
    })),
    nextCursor,
  };
}

/** The stored id of the caller's session shown as `ref`, or null. */
export async function sessionIdOfRef(db: Executor, userId: string, ref: string): Promise<string | null> {
  const [row] = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(refSql, ref)));
  return row && sessionRef(row.id) === ref ? row.id : null;
}
