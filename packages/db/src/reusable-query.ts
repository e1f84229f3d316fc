/**
 * Hot statements built once per process and run in any transaction. Drizzle renders a query's SQL text and its
 * selection on every call (≈ 13% of the API process's CPU on `calls.list` before this existed); a prepared Drizzle
 * query keeps the text, the parameter slots (`sql.placeholder(name)`) and the result mapping. Drizzle binds a
 * prepared query to the connection it was built on, so each run borrows the built query for the transaction at
 * hand. Edit here only to change how that borrowing works; the statements themselves live with their services.
 *
 * Use it for statements that run on nearly every request; everything else stays plain Drizzle. A statement with
 * optional parts is one reusable query per combination (see `reusableQueries`).
 */
import type { Executor } from "./client";
import { onConnectionOf, sessionKind } from "./driver/index";

/** What Drizzle's `.prepare(name)` returns, as far as running it goes. */
export interface Runnable<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

/**
 * `build` renders the statement once per driver (postgres.js and PGlite queries differ) and the returned
 * function runs it in `tx` with `values` for its placeholders. Values bypass Drizzle's column encoders: pass
 * dates as ISO strings.
 */
export function reusableQuery<V extends Record<string, unknown>, R>(
  name: string,
  build: (db: Executor, name: string) => Runnable<R>,
): (tx: Executor, values: V) => Promise<R> {
  const built = new WeakMap<object, Runnable<R>>();
  return (tx, values) => {
    const kind = sessionKind(tx);
    let query = built.get(kind);
    if (!query) built.set(kind, (query = build(tx, name)));
    // Same text, slots and mapping; this transaction's connection.
    return onConnectionOf(query, tx).execute(values);
  };
}

/**
 * A family of reusable queries for a statement with optional parts (e.g. a list's filters): the variant is which
 * of `values` are defined, and each combination is built on first use. `build` gets `has(key)` (is that value
 * defined in this variant?) and the statement's full name (`<name>:<defined keys>`) for `.prepare()`.
 */
export function reusableQueries<V extends Record<string, unknown>, R>(
  name: string,
  build: (db: Executor, has: (key: keyof V & string) => boolean, name: string) => Runnable<R>,
): (tx: Executor, values: V) => Promise<R> {
  const variants = new Map<string, (tx: Executor, values: V) => Promise<R>>();
  return (tx, values) => {
    const defined = Object.keys(values)
      .filter((key) => values[key] !== undefined)
      .sort();
    const variant = defined.join(",");
    let run = variants.get(variant);
    if (!run) {
      const has = (key: string) => defined.includes(key);
      run = reusableQuery<V, R>(`${name}:${variant}`, (db, full) => build(db, has, full));
      variants.set(variant, run);
    }
    return run(tx, values);
  };
}
