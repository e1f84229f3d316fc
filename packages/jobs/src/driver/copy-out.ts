/**
 * `COPY (query) TO STDOUT` on a scoped transaction's own connection, as a stream of the raw bytes PostgreSQL sends:
 * no row objects, no per-row parsing, backpressure down to the socket. Used by exports (exports/run-job.ts), whose
 * NDJSON lines PostgreSQL builds itself; the measured reason is in bench/README.md ("Exports"). PostgreSQL only
 * (null on PGlite, where exports read a cursor instead).
 *
 * Depends on (drizzle-orm 0.45.4, postgres 3.4.9): a transaction's session holds the postgres.js transaction
 * connection in `session.client` (wrapped by db driver/prepared-statements.ts, which forwards every other property),
 * and postgres.js's `unsafe(text).readable()` runs a COPY … TO STDOUT and resolves to a Readable. COPY takes no bind
 * parameters: `text` must carry its values inline (the callers build it from constants and checked ids). Tested by
 * packages/trpc routers/exports/exports.test.ts on PostgreSQL.
 */
import type { Readable } from "node:stream";
import type { DbHandle, Tx } from "@switchboard/db";

interface CopyClient {
  unsafe(text: string): { readable(): Promise<Readable> };
}

export function copyOut(db: Pick<DbHandle, "kind">, tx: Tx, text: string): Promise<Readable> | null {
  if (db.kind !== "postgres") return null;
  return (tx as unknown as { session: { client: CopyClient } }).session.client.unsafe(text).readable();
}
