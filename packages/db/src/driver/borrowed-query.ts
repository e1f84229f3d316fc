/**
 * Runs a prepared Drizzle query (built once, see reusable-query.ts) on another transaction's connection: Drizzle
 * binds a prepared query to the client it was built on, so each run is a new object whose prototype is the built
 * query (same SQL text, placeholders and result mapping) and whose own `client` is the transaction's.
 *
 * Depends on (drizzle-orm 0.45.4): a prepared query of the postgres-js and pglite sessions reads its driver client
 * from `this.client` when executed, and every executor (database or transaction) holds its session in `session`
 * with that driver client in `session.client`. Tested by test/reusable-query.test.ts (RLS scope per transaction,
 * uncommitted writes visible, rollback).
 */
import type { Executor } from "../client";

/** A Drizzle executor's session and the driver client under it (a transaction's own connection). */
interface WithSession {
  session: { client: unknown };
}

/** The session class of `tx` (one per driver: a built query fits every executor of that driver). */
export function sessionKind(tx: Executor): object {
  return (tx as unknown as WithSession).session.constructor;
}

/** `query` as if it had been built on `tx`. */
export function onConnectionOf<Q extends object>(query: Q, tx: Executor): Q {
  return Object.create(query, { client: { value: (tx as unknown as WithSession).session.client } }) as Q;
}
