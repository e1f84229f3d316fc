/**
 * Database client factory: postgres.js against a real server when a URL is given, embedded PGlite otherwise.
 * Edit here to change pool settings or how the embedded database is opened. Both drivers return the same
 * Drizzle `Database` type, so services never know which one they run on. On PostgreSQL, statements are prepared
 * and transactions pipelined by the tricks in `driver/` (library internals live there only).
 */
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { preparing, transactionSession } from "./driver/index";
import * as schema from "./schema/index";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** What services accept: a scoped transaction (or, for global tables, the database itself). */
export type Executor = Database | Tx;

/** The rows of a raw `execute(sql)` on either driver: postgres.js answers an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

export interface DbHandle {
  db: Database;
  kind: "postgres" | "pglite";
  /**
   * Role assumed inside every scoped transaction. PGlite's session user is a superuser (RLS would not apply),
   * so scoped transactions switch to the app role; on a real server the login user already is the app role.
   */
  scopeRole: string | null;
  /** Runs `fn` in one transaction (committed when it resolves, rolled back when it throws). */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * LISTEN on a channel; resolves to an unlisten function. One connection per process, shared. `onListen` runs
   * each time the LISTEN is (re)established, so callers can catch up on what a dropped connection missed.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onListen?: () => void,
  ): Promise<() => Promise<void>>;
  /** Cheap liveness query for /readyz. */
  ping(): Promise<void>;
  /** Pool figures for /metrics (null on PGlite). */
  poolStats(): { max: number } | null;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** postgres:// URL of the app role. Absent: embedded PGlite. */
  url?: string | undefined;
  /** PGlite data directory; absent: in memory. */
  dataDir?: string | undefined;
  /** Pool size for postgres.js. */
  max?: number;
  /** Role for scoped transactions on PGlite. */
  appRole?: string;
}

export async function createDb(options: CreateDbOptions): Promise<DbHandle> {
  if (options.url) return createPostgresDb(options.url, options.max ?? 10);
  return createPgliteDb(options.dataDir, options.appRole ?? "switchboard_app");
}

function createPostgresDb(url: string, max: number): DbHandle {
  const client = postgres(url, {
    max,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: "switchboard" },
    // Seconds before reconnecting after the n-th closed connection in a row. postgres.js counts every backend that
    // dies under a query (pg_terminate_backend, a failover) and its default reaches 10–20 s after a few: the whole
    // pool would wait that long for a server that is up. Short and capped at 2 s instead (dead-backend.test.ts).
    backoff: (n: number) => Math.min(0.05 * 2 ** n, 2),
  });
  const db = drizzlePostgres({
    client: preparing(client),
    schema,
    casing: "snake_case",
  }) as unknown as Database;
  const txOn = transactionSession(db);
  return {
    db,
    kind: "postgres",
    scopeRole: null,
    transaction: (fn) => client.begin((conn) => fn(txOn(conn))) as Promise<Awaited<ReturnType<typeof fn>>>,
    async listen(channel, onPayload, onListen) {
      const sub = await client.listen(channel, onPayload, onListen);
      return () => sub.unlisten();
    },
    async ping() {
      await client`select 1`;
    },
    poolStats: () => ({ max }),
    close: () => client.end({ timeout: 5 }),
  };
}

async function createPgliteDb(dataDir: string | undefined, appRole: string): Promise<DbHandle> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  return pgliteHandle(client, appRole);
}

/** Wraps an open PGlite instance (tests clone one from a migrated template). */
export function pgliteHandle(client: PGlite, appRole: string | null = "switchboard_app"): DbHandle {
  const db = drizzlePglite({ client, schema, casing: "snake_case" }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    scopeRole: appRole,
    transaction: (fn) => db.transaction(fn),
    async listen(channel, onPayload) {
      const unlisten = await client.listen(channel, onPayload);
      return () => unlisten();
    },
    async ping() {
      await client.query("select 1");
    },
    poolStats: () => null,
    close: () => client.close(),
  };
}
