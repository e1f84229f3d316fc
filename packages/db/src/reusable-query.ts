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

/** What Drizzle's `.prepare(name)` returns, as far as running it goes. */
export interface Runnable<R> {
  execute(values?: Record<string, unknown>): Promise<R>;
}

/** A Drizzle executor's session and the driver client under it (a transaction's own connection). */
interface WithSession {
  session: { client: unknown };
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
    const { session } = tx as unknown as WithSession;
    let query = built.get(session.constructor);
    if (!query) built.set(session.constructor, (query = build(tx, name)));
    // Same text, slots and mapping; this transaction's connection.
    const borrowed = Object.create(query, { client: { value: session.client } }) as Runnable<R>;
    return borrowed.execute(values);
  };
}

/**
 * A family of reusable queries keyed by which optional parts a call uses (e.g. a list's filters): each
 * combination is built on first use. `variant` names the combination (a short stable string); `build` also gets
 * the statement's full name (`<name>:<variant>`) for `.prepare()`.
 */
export function reusableQueries<V extends Record<string, unknown>, R>(
  name: string,
  build: (db: Executor, variant: string, name: string) => Runnable<R>,
): (tx: Executor, variant: string, values: V) => Promise<R> {
  const variants = new Map<string, (tx: Executor, values: V) => Promise<R>>();
  return (tx, variant, values) => {
    let run = variants.get(variant);
    if (!run) variants.set(variant, (run = reusableQuery<V, R>(`${name}:${variant}`, (db, full) => build(db, variant, full))));
    return run(tx, values);
  };
}
