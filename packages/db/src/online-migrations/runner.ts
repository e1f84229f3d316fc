/**
 * Online migrations: the steps that must not run inside the migration transaction — `CREATE INDEX CONCURRENTLY`,
 * `VALIDATE CONSTRAINT`, and batched backfills that commit as they go so no lock is held for long on a large table.
 * They run after the SQL migrations (migrate.ts), in order, each once: a step is recorded in
 * `drizzle.switchboard_online_migrations` when it has finished, and written to be resumed when it was interrupted
 * (a killed deploy re-runs it: backfills continue from what is left, invalid half-built indexes are rebuilt).
 *
 * A step names the SQL migration it completes (`after`); adding one: a file here exporting an `OnlineMigration`, and
 * one line in `index.ts`.
 */

/** Rows of a query as plain objects. */
export type Rows = Record<string, unknown>[];

/** What a step may do: statements outside any transaction, or a short transaction of its own. */
export interface OnlineClient {
  /** Runs one statement in autocommit mode (required by CONCURRENTLY). */
  run(text: string, params?: unknown[]): Promise<Rows>;
  /** Runs `fn` in one transaction; `query` inside it belongs to that transaction. */
  transaction<T>(fn: (query: (text: string, params?: unknown[]) => Promise<Rows>) => Promise<T>): Promise<T>;
}

export interface OnlineMigration {
  /** Unique, ordered: `<number of the SQL migration it follows>-<what it does>`. */
  name: string;
  run(client: OnlineClient, log: (line: string) => void): Promise<void>;
}

const LEDGER = "drizzle.switchboard_online_migrations";

/** Runs every step not yet recorded, in order. The caller holds the migration lock (migrate.ts). */
export async function runOnlineMigrations(
  client: OnlineClient,
  steps: readonly OnlineMigration[],
  log: (line: string) => void = () => {},
): Promise<string[]> {
  await client.run("create schema if not exists drizzle");
  await client.run(`create table if not exists ${LEDGER} (name text primary key, done_at timestamptz not null default now())`);
  const done = new Set((await client.run(`select name from ${LEDGER}`)).map((r) => String(r.name)));
  const ran: string[] = [];
  for (const step of steps) {
    if (done.has(step.name)) continue;
    const started = Date.now();
    await step.run(client, log);
    await client.run(`insert into ${LEDGER} (name) values ($1) on conflict do nothing`, [step.name]);
    log(`online migration ${step.name} done in ${Date.now() - started} ms`);
    ran.push(step.name);
  }
  return ran;
}

/**
 * `CREATE INDEX CONCURRENTLY IF NOT EXISTS`, after dropping an invalid index of that name left by an interrupted
 * build (PostgreSQL keeps it, unusable, and IF NOT EXISTS would then skip the rebuild).
 */
export async function createIndexConcurrently(client: OnlineClient, name: string, definition: string): Promise<void> {
  const invalid = await client.run(
    `select 1 from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname = $1 and not i.indisvalid`,
    [name],
  );
  if (invalid.length > 0) await client.run(`drop index concurrently if exists "${name}"`);
  await client.run(`create index concurrently if not exists "${name}" ${definition}`);
}

/** Validates a constraint added `NOT VALID` (a scan under SHARE UPDATE EXCLUSIVE: reads and writes go on). */
export async function validateConstraint(client: OnlineClient, table: string, constraint: string): Promise<void> {
  const [row] = await client.run(
    `select convalidated from pg_constraint where conname = $1 and conrelid = $2::regclass`,
    [constraint, `public.${table}`],
  );
  if (row && row.convalidated === false) await client.run(`alter table "${table}" validate constraint "${constraint}"`);
}
