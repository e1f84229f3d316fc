/**
 * The caller's sessions as `auth.sessions` shows them. A session's stored id is the hash its cookie is looked up by,
 * so it is never shown: each session appears under a ref derived from it (`sessionRef`, computed here in SQL too).
 */
import { and, eq, gt, sql } from "drizzle-orm";
import { sessionRef } from "@switchboard/auth";
import { type Executor, sessions } from "@switchboard/db";
import { afterCursor, newestFirst, orderOf, toPage } from "../../lib/cursor";

/** `sessionRef(id)` in PostgreSQL: the first 32 hex digits of SHA-256("session:" || id). */
const refSql = sql<string>`left(encode(sha256(convert_to('session:' || ${sessions.id}, 'UTF8')), 'hex'), 32)`;

const listOrder = newestFirst(sessions.createdAt, refSql, (s: { createdAt: Date; ref: string }) => [s.createdAt, s.ref], "hex");

export async function listSessions(
  db: Executor,
  userId: string,
  currentSessionId: string,
  input: { limit: number; cursor?: string | undefined },
) {
  const rows = await db
    .select({ id: sessions.id, ref: refSql, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt, ip: sessions.ip, userAgent: sessions.userAgent })
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        gt(sessions.expiresAt, sql`now()`),
        afterCursor(input.cursor, listOrder),
      ),
    )
    .orderBy(...orderOf(listOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, listOrder, (s) => ({
    id: s.ref,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    ip: s.ip,
    userAgent: s.userAgent,
    current: s.id === currentSessionId,
  }));
}

/** The stored id of the caller's session shown as `ref`, or null. */
export async function sessionIdOfRef(db: Executor, userId: string, ref: string): Promise<string | null> {
  const [row] = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(refSql, ref)));
  return row && sessionRef(row.id) === ref ? row.id : null;
}
