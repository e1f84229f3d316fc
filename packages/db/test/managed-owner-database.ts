// A fresh database migrated by an ordinary role (managed PostgreSQL: RDS, Cloud SQL, CloudNativePG), for tests of what
// FORCE ROW LEVEL SECURITY then means for the owner's functions. Needs SB_TEST_DATABASE_URL (a superuser).
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { migrate } from "../src/migrate";

export interface ManagedOwnerDatabase {
  /** A random suffix, unique to this database (for slugs). */
  suffix: string;
  /** The superuser on the new database: fixtures, and `set role switchboard_app` to act as the app. */
  superuser: postgres.Sql;
  close(): Promise<void>;
}

export async function createManagedOwnerDatabase(adminUrl: string, name: string): Promise<ManagedOwnerDatabase> {
  const suffix = randomBytes(4).toString("hex");
  const role = `sb_${name}_owner_${suffix}`;
  const database = `sb_${name}_${suffix}`;
  const at = (user: string | null) => {
    const u = new URL(adminUrl);
    if (user) {
      u.username = user;
      u.password = "managed";
    }
    u.pathname = `/${database}`;
    return u.toString();
  };
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create role ${role} login password 'managed' createdb createrole nosuperuser nobypassrls`);
  await admin.unsafe(`create database ${database} owner ${role}`);
  await migrate(at(role));
  const superuser = postgres(at(null), { max: 1, onnotice: () => {} });
  return {
    suffix,
    superuser,
    async close() {
      await superuser.end({ timeout: 5 });
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      await admin.unsafe(`drop role if exists ${role}`);
      await admin.end({ timeout: 5 });
    },
  };
}
