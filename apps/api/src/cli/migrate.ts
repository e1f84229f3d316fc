/**
 * `pnpm db:migrate`: applies migrations as the owner (DATABASE_OWNER_URL) and makes sure the app's login
 * (DATABASE_URL) exists as a member of the app role. Without URLs, migrates the embedded PGlite database.
 */
import { ensureAppLogin, migrate, openMigratedPglite } from "@switchboard/db";
import { loadEnv } from "../env";

const env = loadEnv();
const ownerUrl = process.env.DATABASE_OWNER_URL;
try {
  if (ownerUrl) {
    await migrate(ownerUrl, { log: (line) => console.log(line) });
    if (env.DATABASE_URL) await ensureAppLogin(ownerUrl, env.DATABASE_URL);
    console.log("migrations applied (PostgreSQL)");
  } else if (env.DATABASE_URL) {
    throw new Error("DATABASE_OWNER_URL is required to migrate a PostgreSQL server (DATABASE_URL is the app role)");
  } else {
    await (await openMigratedPglite(env.DATA_DIR)).close();
    console.log(`migrations applied (embedded PGlite in ${env.DATA_DIR})`);
  }
  process.exit(0);
} catch (err) {
  console.error(`migrate failed: ${(err as Error).message}`);
  process.exit(1);
}
