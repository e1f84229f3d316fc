/**
 * Where an erasure's batches run. Each batch commits on its own (short locks; an interrupted erasure keeps what it
 * did, and calling it again continues), so on PostgreSQL a batch is a transaction of its own on the request's pool,
 * in the caller's tenant scope, while the procedure's transaction waits to write the audit record.
 *
 * PGlite (the embedded demo database) has one connection: a second transaction would wait for the procedure's
 * forever. There the batches run inside the procedure's transaction, one after another; with one connection there is
 * nobody else whose locks they could hold up.
 */
import { type DbHandle, type Scope, type Tx, withScope } from "@switchboard/db";
import type { InTransaction } from "./privacy.service";

export function batchTransactions(db: DbHandle, scope: Scope, procedureTx: Tx): InTransaction {
  if (db.kind === "pglite") return (fn) => fn(procedureTx);
  return (fn) => withScope(db, scope, fn);
}
