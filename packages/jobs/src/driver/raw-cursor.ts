/**
 * A query's rows from a postgres.js cursor (an unnamed portal read `batch` rows per round trip, inside the scoped
 * transaction), each row as its columns' raw bytes: no strings decoded, no row objects. Used by exports
 * (exports/run-job.ts), whose NDJSON lines PostgreSQL builds itself; the measured reason is in bench/README.md
 * ("Exports"). PostgreSQL only (null on PGlite, where exports read DECLARE/FETCH instead). Not `COPY … TO STDOUT`:
 * its stream inside a (pipelined) postgres.js transaction sometimes left the connection waiting after the copy.
 *
 * Depends on (drizzle-orm 0.45.4, postgres 3.4.9): a transaction's session holds the postgres.js transaction
 * connection in `session.client` (wrapped by db driver/prepared-statements.ts, which forwards every other property),
 * and postgres.js's `unsafe(text).raw().cursor(n)` is an async iterable of arrays of rows of Buffers. `text` carries
 * its values inline. Tested by packages/trpc routers/exports/exports.test.ts on PostgreSQL.
 */
import { sql } from "drizzle-orm";
import type { DbHandle, Tx } from "@switchboard/db";

interface CursorClient {
  unsafe(text: string): { raw(): { cursor(rows: number): AsyncIterable<(Buffer | null)[][]> } };
}

export function rawCursor(db: Pick<DbHandle, "kind">, tx: Tx, text: string, batch: number): AsyncIterable<(Buffer | null)[][]> | null {
  if (db.kind !== "postgres") return null;
  return (async function* () {
    // The scope statement (db with-tenant.ts) is queued ahead of the transaction's first Drizzle query, a few
    // microtasks in; a query issued on the connection directly could overtake it and run unscoped (RLS: no rows).
    // One Drizzle statement first puts the scope in place.
    await tx.execute(sql`select 1`);
    yield* (tx as unknown as { session: { client: CursorClient } }).session.client.unsafe(text).raw().cursor(batch);
  })();
}
