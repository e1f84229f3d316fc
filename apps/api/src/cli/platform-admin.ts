/**
 * `pnpm platform-admin <email>`: makes the account a platform admin (`--revoke`: no longer one). Its powers also
 * need MFA on the account (the command says whether it is on). Accounts listed in PLATFORM_ADMIN_EMAILS become
 * platform admins by themselves once their address is verified; this command is for the others, and to revoke.
 *
 *   pnpm platform-admin ops@example.com            # flag
 *   pnpm platform-admin --revoke ops@example.com   # unflag
 *
 * Database: DATABASE_OWNER_URL or DATABASE_URL, else the embedded PGlite in DATA_DIR (stop `pnpm start` first: an
 * embedded database is opened by one process at a time).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { sessionRevokedChannel, setPlatformAdmin } from "@switchboard/auth";
import { openDatabase } from "../database";
import { loadEnv } from "../env";

const { values: flags, positionals } = parseArgs({ options: { revoke: { type: "boolean", default: false } }, allowPositionals: true, strict: true });

try {
  const email = positionals[0]?.trim().toLowerCase();
  if (positionals.length !== 1 || !email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new Error("usage: pnpm platform-admin [--revoke] <email>");
  }
  // pnpm runs this in apps/api; a relative DATA_DIR means the directory the command was typed in.
  const dataDir = resolve(process.env.INIT_CWD ?? process.cwd(), process.env.DATA_DIR ?? ".data/pglite");
  const env = loadEnv({
    ...process.env,
    NODE_ENV: "development",
    DATA_DIR: dataDir,
    DATABASE_URL: process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL || "",
    SEED_DEMO: "false",
  });
  const { db } = await openDatabase(env, { checkRole: false });
  try {
    const user = await setPlatformAdmin(db.db, email, !flags.revoke);
    if (!user) throw new Error(`no account has the address ${email}`);
    // Running servers drop their cached copy of the account at once (else within SESSION_CACHE_SECONDS).
    await db.db.execute(sql`select pg_notify(${sessionRevokedChannel}, ${`u:${user.id}`})`);
    if (flags.revoke) console.log(`${email} is no longer a platform admin`);
    else {
      console.log(`${email} is a platform admin`);
      if (!user.emailVerified) console.log("  note: the address is not verified yet");
      if (!user.mfaEnabled) console.log("  note: platform-admin powers need MFA: turn it on under Security in the dashboard");
    }
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(`platform-admin: ${(err as Error).message}`);
  process.exitCode = 1;
}
