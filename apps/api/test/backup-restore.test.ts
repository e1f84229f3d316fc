// Backups that have been restored: the demo seed, `pnpm db:backup`, the database dropped, `pnpm db:restore` into
// its name, then every table holds the same rows, the policies, FORCE flags and grants are back, and the app role
// (not the owner) serves calls.list through the real HTTP pipeline while seeing nothing outside a tenant's scope.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@switchboard/auth";
import { backupDatabase, createDb, DEMO_PASSWORD, restoreDatabase, seed } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { buildApp } from "../src/app";
import { loadEnv } from "../src/env";
import { mutate, query, sessionCookie } from "./helper";

const adminUrl = process.env.SB_TEST_DATABASE_URL;
const repoRoot = resolve(import.meta.dirname, "../../..");

/** Runs a root `pnpm` script the way an operator types it; resolves with its output, rejects with it on failure. */
function pnpm(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const clean = { ...process.env };
    for (const name of ["DATABASE_URL", "DATABASE_OWNER_URL", "DATABASE_BACKUP_URL"]) delete clean[name];
    const child = spawn("pnpm", ["--silent", ...args], { cwd: repoRoot, env: { ...clean, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => (code === 0 ? resolvePromise(output) : reject(new Error(`pnpm ${args.join(" ")} exited ${code}: ${output}`))));
  });
}

interface Snapshot {
  rows: Record<string, number>;
  policies: string[];
  forced: string[];
  grants: string[];
}

/** Row counts of every table outside the system schemas (catalog-driven), with the security settings around them. */
async function snapshot(url: string): Promise<Snapshot> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const tables = await sql<{ name: string }[]>`
      select format('%I.%I', schemaname, tablename) as name from pg_tables
      where schemaname not in ('pg_catalog', 'information_schema') order by 1`;
    const rows: Record<string, number> = {};
    for (const { name } of tables) {
      const [r] = await sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${name}`);
      rows[name] = r!.n;
    }
    const policies = await sql<{ p: string }[]>`
      select format('%s.%s %s %s %s', tablename, policyname, cmd, roles, qual) as p from pg_policies order by 1`;
    const forced = await sql<{ t: string }[]>`
      select c.relname as t from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relrowsecurity and c.relforcerowsecurity order by 1`;
    const grants = await sql<{ g: string }[]>`
      select format('%s.%s %s', table_schema, table_name, privilege_type) as g from information_schema.role_table_grants
      where grantee = 'switchboard_app' order by 1`;
    return { rows, policies: policies.map((r) => r.p), forced: forced.map((r) => r.t), grants: grants.map((r) => r.g) };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

describe.runIf(adminUrl)("pnpm db:backup and db:restore on a real server", () => {
  let db: TestDatabase;
  let dir: string;
  let before: Snapshot;
  let acmeCalls: number;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), "sb-backup-"));
    await seed(db.owner, { hashPassword });
    before = await snapshot(db.ownerUrl!);
    const owner = postgres(db.ownerUrl!, { max: 1, onnotice: () => {} });
    const [acme] = await owner<{ n: number }[]>`
      select count(*)::int as n from calls where tenant_id = (select id from tenants where slug = 'acme')`;
    acmeCalls = acme!.n;
    await owner.end();
  }, 120_000);
  afterAll(async () => {
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("seed → backup → drop the database → restore: same rows per table, policies, FORCE and grants; the app role serves calls.list", async () => {
    expect(before.rows["public.calls"]).toBeGreaterThan(100);
    expect(before.rows["public.messages"]).toBeGreaterThan(100);
    expect(acmeCalls).toBeGreaterThan(0);
    expect(before.forced).toContain("calls");

    const file = join(dir, "switchboard.dump");
    const backedUp = await pnpm(["db:backup", file], { DATABASE_OWNER_URL: db.ownerUrl! });
    expect(backedUp).toMatch(/backed up \d+ tables to .*switchboard\.dump/);

    // The loss: the database is gone, connections and all.
    await db.app.close();
    await db.owner.close();
    const name = new URL(db.ownerUrl!).pathname.slice(1);
    const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database "${name}" with (force)`);
    await admin.end();

    const restored = await pnpm(["db:restore", file], { DATABASE_OWNER_URL: db.ownerUrl!, DATABASE_URL: db.appUrl! });
    expect(restored).toMatch(new RegExp(`restored \\d+ tables into new database "${name}".*app login ensured`));

    const after = await snapshot(db.ownerUrl!);
    expect(after.rows).toEqual(before.rows);
    expect(after.policies).toEqual(before.policies);
    expect(after.forced).toEqual(before.forced);
    expect(after.grants).toEqual(before.grants);

    // The app role, straight: nothing outside a tenant's scope (row-level security is on and forced again).
    const app = postgres(db.appUrl!, { max: 1, onnotice: () => {} });
    try {
      expect(await app`select id from calls limit 1`).toEqual([]);
      const [role] = await app`select rolsuper, rolbypassrls from pg_roles where rolname = current_user`;
      expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    } finally {
      await app.end();
    }

    // The real stack on the restored database, as the app role: sign in with the seeded login, list acme's calls.
    const handle = await createDb({ url: db.appUrl!, max: 3 });
    const api = await buildApp({ env: loadEnv({ LOG_LEVEL: "silent", DATABASE_URL: db.appUrl! }), db: handle, logger: false });
    try {
      await api.ready();
      const login = await mutate(api, "auth.login", { email: "owner@acme.test", password: DEMO_PASSWORD });
      expect(login.statusCode, login.body).toBe(200);
      const cookie = sessionCookie(login);
      const page = await query(api, "calls.list", { limit: 100 }, { host: "acme.localhost:3000", cookie });
      expect(page.statusCode, page.body).toBe(200);
      const items = page.json().result.data.items as { id: string }[];
      expect(items).toHaveLength(Math.min(100, acmeCalls));
      // Another tenant's member sees their own calls only.
      const other = sessionCookie(await mutate(api, "auth.login", { email: "owner@globex.test", password: DEMO_PASSWORD }));
      const globex = (await query(api, "calls.list", { limit: 100 }, { host: "globex.localhost:3000", cookie: other })).json().result.data.items as { id: string }[];
      expect(globex.some((c) => items.some((a) => a.id === c.id))).toBe(false);
      expect((await query(api, "calls.list", { limit: 1 }, { host: "acme.localhost:3000", cookie: other })).statusCode).toBe(403);
    } finally {
      await api.close();
      await handle.close();
    }
  }, 180_000);

  it("refuses a database that is not empty, a file that is not a dump, and a role that cannot read every row", async () => {
    const file = join(dir, "switchboard.dump");
    await expect(restoreDatabase(db.ownerUrl!, file)).rejects.toThrow(/is not empty \(\d+ tables\): restore into a new or empty database/);
    const junk = join(dir, "junk.dump");
    writeFileSync(junk, "not a dump");
    await expect(restoreDatabase(db.ownerUrl!, junk)).rejects.toThrow(/is not a readable pg_dump custom-format archive/);
    // The app login is bound by FORCE row-level security like the owner of a managed database would be.
    await expect(backupDatabase(db.appUrl!, join(dir, "partial.dump"))).rejects.toThrow(/cannot read every row: \d+ tables FORCE row-level security/);
  }, 60_000);
});
