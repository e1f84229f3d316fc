/**
 * Code that reaches into drizzle-orm's and postgres.js's internals, kept in this one folder so the rest of the
 * package (and every service) uses only their public APIs. Each trick is measured in bench/README.md.
 *
 * Written against exactly: drizzle-orm 0.45.4, postgres 3.4.9 (+ patches/postgres@3.4.9.patch),
 * @electric-sql/pglite 0.5.16. On an upgrade of any of them, re-read each file's "depends on" note and run
 * `pnpm test --filter @switchboard/db`: pipelined-transaction, reusable-query and rls fail if a trick stops working.
 */
export { maxPreparedParameters, preparing } from "./prepared-statements";
export { sendWithoutWaiting } from "./pipelined-transaction";
export { transactionSession } from "./transaction-session";
export { onConnectionOf, sessionKind } from "./borrowed-query";
export { prepareSql } from "./prepared-sql";
