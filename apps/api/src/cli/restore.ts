/**
 * `pnpm db:restore <file>`: a `pnpm db:backup` file into the database named by DATABASE_OWNER_URL, as that owner.
 * The database must be new or empty (it is created when missing). Roles are cluster-wide and not in the dump: the
 * app role is created if missing, the owner role named in the dump must exist, and with DATABASE_URL set the app's
 * login is created or updated as `pnpm db:migrate` does. Then run `pnpm db:migrate` to bring an older dump forward.
 */
import { resolve } from "node:path";
import { findPgTools, restoreDatabase } from "@switchboard/db";

try {
  const [source, ...rest] = process.argv.slice(2);
  if (!source || rest.length > 0) throw new Error("usage: pnpm db:restore <file>");
  const ownerUrl = process.env.DATABASE_OWNER_URL;
  if (!ownerUrl) throw new Error("set DATABASE_OWNER_URL to the database to restore into (it is created when missing)");
  const file = resolve(process.env.INIT_CWD ?? process.cwd(), source);
  const started = Date.now();
  const result = await restoreDatabase(ownerUrl, file, {
    appUrl: process.env.DATABASE_URL || undefined,
    tools: findPgTools({ pgBin: process.env.PG_BIN, env: process.env }),
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `restored ${result.tables} tables into ${result.created ? "new " : ""}database "${result.database}" in ${seconds} s` +
      (process.env.DATABASE_URL ? "; app login ensured" : "; DATABASE_URL unset: app login not checked"),
  );
  process.exit(0);
} catch (err) {
  console.error(`restore failed: ${(err as Error).message}`);
  process.exit(1);
}
