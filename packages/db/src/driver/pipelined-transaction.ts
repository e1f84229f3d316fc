/**
 * The pipelined transaction start: BEGIN, the RLS scope and the first query leave in one socket write.
 * - BEGIN: postgres.js's `begin()` waits for BEGIN's reply before handing out the connection; the patch
 *   (patches/postgres@3.4.9.patch, see patches/README.md for why and when to drop it) hands it out once BEGIN is
 *   written.
 * - The scope: `sendWithoutWaiting` issues the scope statement and starts the transaction's work without awaiting
 *   it; postgres.js writes queries issued on a connection back to back and the server runs them in order (PGlite
 *   runs them in call order).
 *
 * Depends on (postgres 3.4.9 + the patch, @electric-sql/pglite 0.5.16): queries issued on a transaction
 * connection are queued and sent in call order. Tested by test/pipelined-transaction.test.ts (counts socket
 * writes: 2 per one-query transaction) and rolls back when a later statement fails.
 */

/**
 * Sends `first` (already started, e.g. a query whose `.then` has been called) and runs `work` without waiting
 * for `first`'s reply; resolves to `work`'s result once both succeed. If `first` fails, the transaction is
 * aborted, so every statement of `work` fails too and the whole call rejects.
 */
export async function sendWithoutWaiting<T>(first: PromiseLike<unknown>, work: () => Promise<T>): Promise<T> {
  // `.then` starts a Drizzle query now; it is queued on the connection before anything `work` sends.
  const sent = Promise.resolve(first.then(() => undefined));
  let result: Promise<T>;
  try {
    result = work();
  } catch (err) {
    result = Promise.reject(err as Error);
  }
  const [, value] = await Promise.all([sent, result]);
  return value;
}
