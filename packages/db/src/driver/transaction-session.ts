/**
 * A Drizzle transaction on a postgres.js transaction connection (`client.begin(conn => …)`), so scoped
 * transactions go through postgres.js's `begin()` (pipelined by patches/postgres@3.4.9.patch, see
 * pipelined-transaction.ts) instead of Drizzle's `db.transaction()`, which sends BEGIN itself and waits for it.
 *
 * Depends on (drizzle-orm 0.45.4): the private fields `session.dialect`, `session.schema` and `session.options`
 * of a postgres-js database, the `PostgresJsSession` / `PostgresJsTransaction` constructors' argument order, and
 * that a transaction's session only calls `unsafe` and `savepoint` on its client. Tested by the whole db suite
 * (every scoped transaction on PostgreSQL runs through it) and test/pipelined-transaction.test.ts.
 */
import { PostgresJsSession, PostgresJsTransaction } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import type { Database, Tx } from "../client";
import { preparing } from "./prepared-statements";

type SessionArgs = ConstructorParameters<typeof PostgresJsSession>;

/** Returns a function turning a transaction connection into a Drizzle `Tx` sharing `db`'s dialect and schema. */
export function transactionSession(db: Database): (conn: postgres.TransactionSql) => Tx {
  // Drizzle's own session parts (dialect, relational schema, logger), reused for every transaction's connection.
  const { dialect, schema, options } = (
    db as unknown as { session: { dialect: SessionArgs[1]; schema: SessionArgs[2]; options: SessionArgs[3] } }
  ).session;
  return (conn) => {
    // Drizzle types a transaction's session by a pool client; it only calls `unsafe` and `savepoint` on it.
    const session = new PostgresJsSession(
      preparing(conn) as unknown as postgres.Sql,
      dialect,
      schema,
      options,
    );
    return new PostgresJsTransaction(dialect, session as never, schema) as unknown as Tx;
  };
}
