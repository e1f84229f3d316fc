/**
 * Logical backups: `pg_dump --format=custom` of the whole database and `pg_restore` of such a file into an empty
 * database (what `pnpm db:backup` / `pnpm db:restore` run). The dump holds every schema (public, the job runner's
 * pgboss, drizzle's migration journal), row-level security policies, grants and default privileges, but no roles:
 * roles belong to the cluster. The restore therefore makes sure the app role exists before the grants to it are
 * replayed, and the owner role named in the dump must exist where you restore (it does when restoring as that role).
 *
 * Why a backup needs a role that bypasses row-level security: the tables FORCE row-level security, which binds their
 * owner too, so an ordinary owner reading them sees only what its own policies allow. pg_dump then stops with
 * "query would be affected by row-level security policy" (and `--enable-row-security` would write a dump missing
 * rows without a word), so backupDatabase refuses such a role up front with the fix. A restore needs no such role:
 * data is loaded before pg_restore enables row-level security on the tables.
 */
import { execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import postgres from "postgres";
import { APP_ROLE, ensureAppLogin } from "./roles";

export interface PgTools {
  pgDump: string;
  pgRestore: string;
  /** Environment the tools inherit (PATH, PGSSLMODE, PGSSLROOTCERT, …): the caller's, since only env modules read it. */
  env: Record<string, string | undefined>;
}

/**
 * pg_dump and pg_restore from `pgBin`, else the newest /usr/lib/postgresql/<n>/bin (Debian keeps versions apart:
 * a client older than the server refuses to dump it), else whatever PATH (in `env`) has.
 */
export function findPgTools({ pgBin, env = {} }: { pgBin?: string; env?: PgTools["env"] } = {}): PgTools {
  const root = "/usr/lib/postgresql";
  let dir = pgBin && existsSync(join(pgBin, "pg_dump")) ? pgBin : undefined;
  if (!dir && existsSync(root)) {
    const newest = readdirSync(root)
      .filter((v) => existsSync(join(root, v, "bin", "pg_dump")))
      .sort((a, b) => Number(b) - Number(a))[0];
    if (newest) dir = join(root, newest, "bin");
  }
  return dir ? { pgDump: join(dir, "pg_dump"), pgRestore: join(dir, "pg_restore"), env } : { pgDump: "pg_dump", pgRestore: "pg_restore", env };
}

/** The URL without its password (passed as PGPASSWORD instead, so it never shows in the process list). */
function connection(url: string, tools: PgTools): { dbname: string; env: PgTools["env"]; database: string } {
  const u = new URL(url);
  if (!/^postgres(ql)?:$/.test(u.protocol)) throw new Error("expected a postgres:// URL");
  const password = decodeURIComponent(u.password);
  u.password = "";
  const database = decodeURIComponent(u.pathname.slice(1));
  if (!database) throw new Error("the database URL names no database");
  return { dbname: u.toString(), env: { ...tools.env, PGPASSWORD: password || undefined, PGCONNECT_TIMEOUT: "10" }, database };
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Runs a client tool; rejects with its stderr (never the command line, which holds the URL's user and host only). */
function run(command: string, args: string[], env: PgTools["env"]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (err) =>
      reject(new Error(`${command} could not start (${err.message}): install the PostgreSQL client tools or set PG_BIN`)),
    );
    child.on("close", (code) => (code === 0 ? resolve(stdout) : reject(new Error(stderr.trim() || `${command} exited with ${code}`))));
  });
}

/** Tables in the archive that carry data ("TABLE DATA" entries of `pg_restore --list`), as schema.table. */
async function archiveTables(file: string, tools: PgTools = findPgTools()): Promise<string[]> {
  const list = await new Promise<string>((resolve, reject) =>
    execFile(tools.pgRestore, ["--list", file], { env: tools.env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${file} is not a readable pg_dump custom-format archive: ${stderr.trim() || err.message}`)) : resolve(stdout),
    ),
  );
  return list
    .split("\n")
    .map((line) => /^\d+; \d+ \d+ TABLE DATA (\S+) (\S+) /.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}.${m[2]}`);
}

export interface BackupResult {
  file: string;
  bytes: number;
  tables: number;
}

/**
 * Dumps the database at `url` (a role that bypasses row-level security: a superuser, or one with BYPASSRLS and
 * pg_read_all_data) to `file` in pg_dump's custom format. Written to `<file>.partial` and renamed when complete,
 * so a file with the final name is always a whole dump.
 */
export async function backupDatabase(url: string, file: string, tools: PgTools = findPgTools()): Promise<BackupResult> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const [role] = await sql<{ user: string; bypass: boolean }[]>`
      select current_user as user, rolsuper or rolbypassrls as bypass from pg_roles where rolname = current_user`;
    const [forced] = await sql<{ n: number }[]>`
      select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relforcerowsecurity and c.relrowsecurity and n.nspname not in ('pg_catalog', 'information_schema')`;
    if (!role!.bypass && forced!.n > 0) {
      throw new Error(
        `role "${role!.user}" cannot read every row: ${forced!.n} tables FORCE row-level security, which binds their owner too. ` +
          `Back up as a superuser or as a role with BYPASSRLS, e.g. CREATE ROLE switchboard_backup LOGIN BYPASSRLS PASSWORD '…' IN ROLE pg_read_all_data;`,
      );
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
  const { dbname, env } = connection(url, tools);
  const partial = `${file}.partial`;
  try {
    await run(tools.pgDump, ["--format=custom", "--no-password", `--file=${partial}`, `--dbname=${dbname}`], env);
    const tables = (await archiveTables(partial, tools)).length;
    renameSync(partial, file);
    return { file, bytes: statSync(file).size, tables };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}

/** Creates the database when connecting to it says it does not exist (through the `postgres` maintenance database). */
async function createDatabaseIfMissing(ownerUrl: string, database: string): Promise<boolean> {
  const probe = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await probe`select 1`;
    return false;
  } catch (err) {
    if ((err as { code?: string }).code !== "3D000") throw err;
  } finally {
    await probe.end({ timeout: 5 });
  }
  const maintenance = postgres(withDatabase(ownerUrl, "postgres"), { max: 1, onnotice: () => {} });
  try {
    const [stmt] = await maintenance<{ q: string }[]>`select format('CREATE DATABASE %I', ${database}::text) as q`;
    await maintenance.unsafe(stmt!.q);
    return true;
  } finally {
    await maintenance.end({ timeout: 5 });
  }
}

export interface RestoreOptions {
  /** The app's login (DATABASE_URL): created or updated as a member of the app role after the restore. */
  appUrl?: string;
  tools?: PgTools;
}

export interface RestoreResult {
  database: string;
  created: boolean;
  tables: number;
}

/**
 * Restores a custom-format dump into the database named by `ownerUrl`, connected as the owner: creates the
 * database when it does not exist (through the `postgres` maintenance database, so the role needs CREATEDB), and
 * refuses one that already holds tables. One transaction: a failed restore leaves the database empty.
 */
export async function restoreDatabase(ownerUrl: string, file: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const tools = options.tools ?? findPgTools();
  const tables = (await archiveTables(file, tools)).length;
  const { dbname, env, database } = connection(ownerUrl, tools);

  const created = await createDatabaseIfMissing(ownerUrl, database);
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const [used] = await owner<{ n: number }[]>`
      select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'`;
    if (used!.n > 0) {
      throw new Error(
        `database "${database}" is not empty (${used!.n} tables): restore into a new or empty database ` +
          `(drop it or point DATABASE_OWNER_URL at another name; db:restore creates it)`,
      );
    }
    // Roles are cluster-wide and not in the dump: the grants to the app role need it to exist (as migration 0000).
    await owner.unsafe(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      END IF;
    END $$`);
  } finally {
    await owner.end({ timeout: 5 });
  }

  await run(
    tools.pgRestore,
    ["--exit-on-error", "--single-transaction", "--no-password", `--dbname=${dbname}`, file],
    env,
  );

  const after = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    // pg_restore leaves the planner without statistics until autovacuum comes by.
    await after`analyze`;
  } finally {
    await after.end({ timeout: 5 });
  }
  if (options.appUrl) await ensureAppLogin(ownerUrl, options.appUrl);
  return { database, created, tables };
}
