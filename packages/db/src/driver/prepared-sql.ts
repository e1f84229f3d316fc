/**
 * A raw SQL statement (with `sql.placeholder` slots) prepared the way Drizzle's query builders prepare theirs
 * (`.prepare(name)`), so a hand-written hot statement can be built once per process and run in any transaction
 * with `reusableQuery` (reusable-query.ts): `db.execute(sql)` has no `.prepare`, and renders the text anew on
 * every call. The scope statement of every scoped transaction (with-tenant.ts) is one.
 *
 * Depends on (drizzle-orm 0.45.4): `db.execute(query)` is `session.prepareQuery(dialect.sqlToQuery(query),
 * undefined, name, false).execute()` on both the postgres-js and the pglite session (`session` and `dialect` are
 * fields of every executor). Tested by test/pipelined-transaction.test.ts and test/scope.test.ts (every scoped
 * transaction sets its scope through it).
 */
import type { SQL } from "drizzle-orm";
import type { Executor } from "../client";

interface Internals {
  dialect: { sqlToQuery(query: SQL): unknown };
  session: { prepareQuery(query: unknown, fields: undefined, name: string, arrayMode: boolean): unknown };
}

/** `query` prepared on `db` under `name`: run it with `.execute(values for its placeholders)`. */
export function prepareSql<R>(db: Executor, query: SQL, name: string): { execute(values?: Record<string, unknown>): Promise<R> } {
  const { dialect, session } = db as unknown as Internals;
  return session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false) as {
    execute(values?: Record<string, unknown>): Promise<R>;
  };
}
