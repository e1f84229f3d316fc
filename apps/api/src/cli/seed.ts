/** `pnpm db:seed`: writes the demo through the app role (DATABASE_URL), or into the embedded PGlite. */
import { hashPassword } from "@switchboard/auth";
import { seed } from "@switchboard/db";
import { openDatabase } from "../database";
import { loadEnv } from "../env";

const env = loadEnv({ ...process.env, SEED_DEMO: "false" });
try {
  const { db } = await openDatabase(env);
  const result = await seed(db, { hashPassword });
  console.log(result.created ? "demo data seeded" : "demo data already present");
  await db.close();
  process.exit(0);
} catch (err) {
  console.error(`seed failed: ${(err as Error).message}`);
  process.exit(1);
}
