// Backups on a managed server (RDS, Cloud SQL, CloudNativePG), where the owner is an ordinary role and FORCE row-level
// security binds it: backing up as that owner is refused up front with the fix (pg_dump would stop on the first
// tenant table), a role with BYPASSRLS backs up every row, and the ordinary owner can restore the dump itself — rows
// are loaded before pg_restore switches row-level security on — with the app login working again afterwards.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupDatabase, restoreDatabase } from "../src/backup";
import { migrate } from "../src/migrate";

const adminUrl = process.env.SB_TEST_DATABASE_URL;
const suffix = randomBytes(4).toString("hex");
const owner = `sb_restore_owner_${suffix}`;
const backupRole = `sb_restore_backup_${suffix}`;
const appLogin = `sb_restore_app_${suffix}`;
const database = `sb_restore_${suffix}`;
/** A URL of the test server as `user` (password "managed"), or as the superuser of SB_TEST_DATABASE_URL. */
const at = (user: string | null, db: string) => {
  const u = new URL(adminUrl!);
  if (user) {
    u.username = user;
    u.password = "managed";
  }
  u.pathname = `/${db}`;
  return u.toString();
};

describe.runIf(adminUrl)("backups when the owner is an ordinary role bound by FORCE row-level security", () => {
  let admin: postgres.Sql;
  let dir: string;
  const tenant = crypto.randomUUID();
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sb-restore-"));
    admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create role ${owner} login password 'managed' createdb createrole nosuperuser nobypassrls`);
    await admin.unsafe(`create role ${backupRole} login password 'managed' bypassrls in role pg_read_all_data`);
    await admin.unsafe(`create database ${database} owner ${owner}`);
    await migrate(at(owner, database));
    const superuserHere = postgres(at(null, database), { max: 1, onnotice: () => {} });
    try {
      await superuserHere.begin(async (tx) => {
        await tx`insert into tenants (id, slug, name) values (${tenant}, ${`restore-${suffix}`}, 'Restore Co')`;
        await tx`insert into calls (tenant_id, direction, customer_phone, status)
          select ${tenant}, 'inbound', '+1555000' || lpad(i::text, 4, '0'), 'completed' from generate_series(1, 25) i`;
      });
    } finally {
      await superuserHere.end({ timeout: 5 });
    }
  }, 120_000);
  afterAll(async () => {
    await admin?.unsafe(`drop database if exists ${database} with (force)`);
    for (const role of [appLogin, backupRole, owner]) await admin?.unsafe(`drop role if exists ${role}`);
    await admin?.end({ timeout: 5 });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("refuses the owner with the fix, backs up every row as a BYPASSRLS role, and the owner restores it", async () => {
    const file = join(dir, "managed.dump");
    await expect(backupDatabase(at(owner, database), file)).rejects.toThrow(
      new RegExp(`role "${owner}" cannot read every row: .* CREATE ROLE switchboard_backup LOGIN BYPASSRLS`),
    );
    const result = await backupDatabase(at(backupRole, database), file);
    expect(result.tables).toBeGreaterThan(40);

    await admin.unsafe(`drop database ${database} with (force)`);
    const restored = await restoreDatabase(at(owner, database), file, { appUrl: at(appLogin, database) });
    expect(restored).toMatchObject({ database, created: true, tables: result.tables });

    const check = postgres(at(backupRole, database), { max: 1, onnotice: () => {} });
    try {
      const [calls] = await check<{ n: number }[]>`select count(*)::int as n from calls where tenant_id = ${tenant}`;
      expect(calls!.n).toBe(25);
      const [forced] = await check`select relrowsecurity, relforcerowsecurity, pg_get_userbyid(relowner) as owner from pg_class where relname = 'calls'`;
      expect(forced).toEqual({ relrowsecurity: true, relforcerowsecurity: true, owner });
    } finally {
      await check.end({ timeout: 5 });
    }
    // The app login the restore ensured sees the tenant's calls in its scope and nothing outside it.
    const app = postgres(at(appLogin, database), { max: 1, onnotice: () => {} });
    try {
      expect(await app`select id from calls`).toEqual([]);
      const scoped = await app.begin(async (tx) => {
        await tx`select set_config('app.tenant_id', ${tenant}, true)`;
        return tx<{ n: number }[]>`select count(*)::int as n from calls`;
      });
      expect(scoped[0]!.n).toBe(25);
    } finally {
      await app.end({ timeout: 5 });
    }
  }, 120_000);
});
