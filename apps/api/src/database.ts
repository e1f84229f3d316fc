/**
 * Opens the database the server runs on: the real server named by DATABASE_URL (after checking that its role
 * cannot bypass RLS), or the embedded PGlite in DATA_DIR, migrated and seeded with the demo on first run.
 */
import { hashPassword } from "@switchboard/auth";
import {
  assertSafeAppRole,
  createDb,
  type DbHandle,
  openMigratedPglite,
  pgliteHandle,
  seed,
  type SeedResult,
} from "@switchboard/db";
import { seedAiRepliesDemo } from "@switchboard/trpc";
import type { Env } from "./env";

export async function openDatabase(
  env: Env,
  opts: { checkRole?: boolean } = {},
): Promise<{ db: DbHandle; demo: SeedResult | null }> {
  if (env.DATABASE_URL) {
    // The seed CLI may write as the owner (DATABASE_OWNER_URL); the server never does.
    if (opts.checkRole !== false) await assertSafeAppRole(env.DATABASE_URL);
    return { db: await createDb({ url: env.DATABASE_URL, max: env.DB_POOL_MAX }), demo: null };
  }
  const db = pgliteHandle(await openMigratedPglite(env.DATA_DIR));
  const demo = env.SEED_DEMO === false ? null : await seed(db, { hashPassword, platformAdmin: true });
  // AI replies in the demo: a web chat the worker answers at start (the echo provider without AI_BASE_URL).
  if (demo?.created) await seedAiRepliesDemo(db);
  return { db, demo };
}
