/**
 * Applies the SQL in the top-level migrations/ folder (drizzle-kit output plus hand-written SQL), then the online
 * migrations (online-migrations/: CONCURRENTLY, VALIDATE, batched backfills — outside any transaction). Runs as the
 * owner on a real server, or as PGlite's superuser for the embedded database.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { onlineMigrations, runOnlineMigrations, type OnlineClient } from "./online-migrations/index";

export interface MigrateOptions {
  /** Progress of long online steps (backfills); silent by default. */
  log?: (line: string) => void;
}

/** MIGRATIONS_DIR, else the nearest `migrations/` above this file (works from source and from a bundle). */
export function migrationsDir(): string {
  if (process.env.MIGRATIONS_DIR) return resolve(process.env.MIGRATIONS_DIR);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "migrations");
    if (existsSync(join(candidate, "meta", "_journal.json"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error("migrations/ not found: set MIGRATIONS_DIR");
    dir = parent;
  }
}

/** Migrates a real server as its owner. Serialized by an advisory lock so concurrent runners wait. */
export async function migrate(ownerUrl: string, options: MigrateOptions = {}): Promise<void> {
  const client = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(7355608)`;
    await migratePostgres(drizzlePostgres({ client }), { migrationsFolder: migrationsDir() });
    const online: OnlineClient = {
      run: (text, params = []) => client.unsafe(text, params as never[]),
      transaction: (fn) => client.begin((tx) => fn((text, params = []) => tx.unsafe(text, params as never[]))) as never,
    };
    await runOnlineMigrations(online, onlineMigrations, options.log);
  } finally {
    await client`select pg_advisory_unlock(7355608)`.catch(() => {});
    await client.end({ timeout: 5 });
  }
}

export async function migratePgliteClient(client: PGlite, options: MigrateOptions = {}): Promise<void> {
  await migratePglite(drizzlePglite({ client }), { migrationsFolder: migrationsDir() });
  const online: OnlineClient = {
    run: async (text, params) => (await client.query<Record<string, unknown>>(text, params)).rows,
    transaction: (fn) => client.transaction((tx) => fn(async (text, params) => (await tx.query<Record<string, unknown>>(text, params)).rows)),
  };
  await runOnlineMigrations(online, onlineMigrations, options.log);
}

/** Opens (creating if needed) the embedded database in `dataDir` and brings it up to date. */
export async function openMigratedPglite(dataDir: string): Promise<PGlite> {
  mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  await migratePgliteClient(client);
  return client;
}
