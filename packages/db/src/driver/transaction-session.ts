/**
 * A Drizzle transaction on a postgres.js transaction connection (`client.begin(conn => …)`), so scoped
 * transactions go through postgres.js's `begin()` (pipelined by patches/postgres@3.4.9.patch, see
 * pipelined-transaction.ts) instead of Drizzle's `db.transaction()`, which sends BEGIN itself and waits for it.
 *
 * The relational query API (`tx.query.<table>`) is built on first use only: Drizzle's constructor builds one
 * builder per table (35 here) for every transaction, and the hot paths never use it (bench/README.md, issue #12).
 *
 * Depends on (drizzle-orm 0.45.4): the private fields `session.dialect`, `session.schema` and `session.options`
 * of a postgres-js database, the `PostgresJsSession` / `PostgresJsTransaction` constructors' argument order, that
 * `PgDatabase`'s constructor only fills `_` and `query` from its schema argument (and `PgTransaction` keeps it in
 * `schema` for savepoints), and that a transaction's session only calls `unsafe` and `savepoint` on its client.
 * Tested by the whole db suite (every scoped transaction on PostgreSQL runs through it),
 * test/pipelined-transaction.test.ts and test/reusable-query.test.ts ("the relational API in a scoped transaction").
 */
import { PgDatabase } from "drizzle-orm/pg-core";
import { PostgresJsSession, PostgresJsTransaction } from "drizzle-orm/postgres-js";
import type postgres from "postgres";
import type { Database, Tx } from "../client";
import { preparing } from "./prepared-statements";

type SessionArgs = ConstructorParameters<typeof PostgresJsSession>;
type RelationalSchema = NonNullable<SessionArgs[2]>;

/** A postgres-js transaction whose `query` (relational API) is built when first read. */
class LeanTransaction extends PostgresJsTransaction<Record<string, unknown>, never> {
  constructor(dialect: SessionArgs[1], session: PostgresJsSession<never, Record<string, unknown>, never>, schema: RelationalSchema) {
    super(dialect, session, undefined);
    // What the constructor would have set from `schema`, minus the per-table builders.
    (this as unknown as { schema: RelationalSchema }).schema = schema;
    (this as unknown as { _: object })._ = {
      schema: schema.schema,
      fullSchema: schema.fullSchema,
      tableNamesMap: schema.tableNamesMap,
      session,
    };
    Object.defineProperty(this, "query", {
      configurable: true,
      get() {
        const query = new PgDatabase(dialect, session as never, schema as never).query;
        Object.defineProperty(this, "query", { value: query, configurable: true });
        return query;
      },
    });
  }
}

/** Returns a function turning a transaction connection into a Drizzle `Tx` sharing `db`'s dialect and schema. */
export function transactionSession(db: Database): (conn: postgres.TransactionSql) => Tx {
  // Drizzle's own session parts (dialect, relational schema, logger), reused for every transaction's connection.
  const { dialect, schema, options } = (
    db as unknown as { session: { dialect: SessionArgs[1]; schema: RelationalSchema; options: SessionArgs[3] } }
  ).session;
  return (conn) => {
    // Drizzle types a transaction's session by a pool client; it only calls `unsafe` and `savepoint` on it.
    const session = new PostgresJsSession(
      preparing(conn) as unknown as postgres.Sql,
      dialect,
      schema,
      options,
    );
    return new LeanTransaction(dialect, session as never, schema) as unknown as Tx;
  };
}
