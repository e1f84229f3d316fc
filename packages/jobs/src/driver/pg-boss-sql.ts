/**
 * pg-boss (exactly 10.4.2) reaches PostgreSQL only through `db.executeSql(text, values) → { rows }` when given a
 * `db` option. These adapters let it run on our drivers instead of its own `pg` pool:
 * - `workerSql`: the worker's polling, completion and maintenance. On PostgreSQL a small postgres.js pool of its
 *   own (the app role), whose JSON serializer leaves strings alone: pg-boss passes some JSON already stringified
 *   (batch inserts, job output) and postgres.js would otherwise encode them a second time. Maintenance texts that
 *   open a transaction run on a reserved connection. On PGlite the
 *   embedded client itself (`exec` for pg-boss's multi-statement maintenance, `query` for parameterised SQL).
 * - `transactionSql`: a Drizzle transaction, so `send(…, { db })` inserts the job in the caller's transaction
 *   (the outbox). Positional `$n` parameters become Drizzle parameters, which works on both drivers. Drizzle
 *   turns off postgres.js's JSON serializer (its json columns stringify themselves), so objects go as JSON text.
 *   A placeholder used twice becomes two parameters, typed separately: pg-boss's insert reads `startAfter` as
 *   text and as a timestamp, so `enqueue` always passes it as a date (never a number of seconds).
 * Values pg-boss leaves `undefined` are sent as NULL, as its own `pg` driver does.
 */
import type { PGlite } from "@electric-sql/pglite";
import { type SQL, sql } from "drizzle-orm";
import postgres from "postgres";
import type { DbHandle, Tx } from "@switchboard/db";

/** pg-boss's `Db` (its typings say `rows: any[]`; pg-boss reads its own columns from them). */
export interface BossDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

const nullish = (values: unknown[] | undefined) => (values ?? []).map((v) => (v === undefined ? null : v));

export interface WorkerSql extends BossDb {
  close(): Promise<void>;
}

/** The worker's connection: `url` (the app role) on PostgreSQL; the embedded client on PGlite. */
export function workerSql(handle: DbHandle, url: string | undefined): WorkerSql {
  if (handle.kind === "pglite") {
    const client = (handle.db as unknown as { $client: PGlite }).$client;
    return {
      async executeSql(text, values) {
        if (values?.length) return { rows: (await client.query<Record<string, unknown>>(text, nullish(values))).rows };
        const results = await client.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      },
      close: async () => {},
    };
  }
  if (!url) throw new Error("the job runner needs the database URL on PostgreSQL");
  const client = postgres(url, {
    max: 2,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: "switchboard-jobs" },
    types: {
      json: {
        to: 114,
        from: [114, 3802],
        serialize: (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x)),
        parse: (x: string) => JSON.parse(x) as unknown,
      },
    },
  });
  return {
    async executeSql(text, values) {
      // Maintenance (expiring jobs of dead workers, archiving, dropping) is one `BEGIN; …; COMMIT` text holding an
      // advisory lock: postgres.js runs a transaction only on a connection of its own (else UNSAFE_TRANSACTION).
      if (/^\s*BEGIN\b/i.test(text)) {
        const reserved = await client.reserve();
        try {
          return { rows: [...(await reserved.unsafe(text, nullish(values) as postgres.ParameterOrJSON<never>[]))] };
        } finally {
          reserved.release();
        }
      }
      const rows = await client.unsafe(text, nullish(values) as postgres.ParameterOrJSON<never>[]);
      return { rows: [...rows] };
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** pg-boss statements inside an open Drizzle transaction (PostgreSQL or PGlite). */
export function transactionSql(tx: Tx): BossDb {
  return {
    async executeSql(text, values) {
      const params = nullish(values).map((v) => (v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date) ? JSON.stringify(v) : v));
      const result = (await tx.execute(positional(text, params))) as unknown;
      return { rows: (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[] };
    },
  };
}

function positional(text: string, values: unknown[]): SQL {
  const chunks: SQL[] = [];
  let last = 0;
  for (const m of text.matchAll(/\$(\d+)/g)) {
    chunks.push(sql.raw(text.slice(last, m.index)), sql`${values[Number(m[1]) - 1]}`);
    last = m.index + m[0].length;
  }
  chunks.push(sql.raw(text.slice(last)));
  return sql.join(chunks);
}
