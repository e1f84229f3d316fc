/**
 * `pnpm db:backup <file>`: the whole database in pg_dump's custom format (restore it with `pnpm db:restore <file>`).
 * Connects as DATABASE_BACKUP_URL, else DATABASE_OWNER_URL: a role that bypasses row-level security (a superuser, or
 * one with BYPASSRLS and pg_read_all_data), because the tables FORCE it even on their owner. pg_dump comes from PG_BIN,
 * else the newest /usr/lib/postgresql/<n>/bin, else PATH; it must be at least the server's major version.
 * The embedded PGlite database is not covered: it is the directory DATA_DIR, copied while `pnpm start` is stopped.
 */
import { resolve } from "node:path";
import { backupDatabase, findPgTools } from "@switchboard/db";

try {
  const [target, ...rest] = process.argv.slice(2);
  if (!target || rest.length > 0) throw new Error("usage: pnpm db:backup <file>");
  const url = process.env.DATABASE_BACKUP_URL || process.env.DATABASE_OWNER_URL;
  if (!url) throw new Error("set DATABASE_OWNER_URL (or DATABASE_BACKUP_URL) to the database to back up");
  // pnpm runs this in apps/api; a relative path means the directory the command was typed in.
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), target);
  const started = Date.now();
  const result = await backupDatabase(url, file, findPgTools({ pgBin: process.env.PG_BIN, env: process.env }));
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`backed up ${result.tables} tables to ${result.file} (${(result.bytes / 1024 / 1024).toFixed(1)} MiB, ${seconds} s)`);
  process.exit(0);
} catch (err) {
  console.error(`backup failed: ${(err as Error).message}`);
  process.exit(1);
}
