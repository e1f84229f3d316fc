/**
 * Every statement Drizzle sends becomes a named prepared statement on its connection (Drizzle asks postgres.js
 * for that only for `.prepare(name)` queries). postgres.js then parses each distinct statement text once per
 * connection: later runs are one Bind/Execute, one round trip, and PostgreSQL skips parse and (usually) plan.
 * Unprepared, postgres.js sends Parse/Describe first and waits for the parameter types: two round trips per
 * statement. Statements without parameters still go as simple queries. postgres.js never evicts a connection's
 * statements (it recycles connections after 30–60 min), so statements with many parameters, whose text varies
 * with a list's length (`in (…)` over ids, bulk inserts), stay unprepared and are not cached.
 *
 * Depends on (drizzle-orm 0.45.4, postgres 3.4.9): Drizzle's postgres-js session runs every query through
 * `client.unsafe(text, params, { prepare })`, and postgres.js names a statement from its text when `prepare` is
 * true. Tested by test/reusable-query.test.ts ("prepared statements on PostgreSQL").
 */
import type postgres from "postgres";

export const maxPreparedParameters = 64;

/** `sql` with `unsafe` forcing `prepare` for statements of up to `maxPreparedParameters` parameters. */
export function preparing<S extends Pick<postgres.Sql, "unsafe">>(sql: S): S {
  const unsafe: S["unsafe"] = (query, params, opts) =>
    sql.unsafe(query, params, { ...opts, prepare: (params?.length ?? 0) <= maxPreparedParameters });
  return new Proxy(sql, { get: (target, prop) => (prop === "unsafe" ? unsafe : Reflect.get(target, prop)) });
}
