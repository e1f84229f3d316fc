/**
 * Test databases. Every test file gets its own database cloned from a migrated template, so files run in
 * parallel without sharing rows:
 * - real PostgreSQL (`SB_TEST_DATABASE_URL`, a role that may create databases; set by scripts/test.mjs, which
 *   starts a throwaway cluster when none is given): the app connects as a non-owner login in `switchboard_app`;
 * - PGlite otherwise (a fallback for machines without PostgreSQL; not a proof of isolation).
 */
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import postgres from "postgres";
import { createDb, type DbHandle, pgliteHandle } from "../client";
import { migrate, migratePgliteClient, migrationsDir } from "../migrate";
import { ensureAppLogin } from "../roles";

export interface TestDatabase {
  kind: "postgres" | "pglite";
  /** Connected as the app role: what the API uses. */
  app: DbHandle;
  /** Connected as the owner (fixtures, catalog checks). Bypasses RLS only where the owner is superuser. */
  owner: DbHandle;
  /** Real server only: URLs for processes the test starts (API servers, raw clients). */
  appUrl: string | null;
  ownerUrl: string | null;
  close(): Promise<void>;
}

export const TEST_APP_USER = "sb_test_app";

export function testDatabaseKind(): "postgres" | "pglite" {
  return process.env.SB_TEST_DATABASE_URL ? "postgres" : "pglite";
}

/** The SQL migrations and the online steps: a template is rebuilt when either changes. */
function migrationsHash(): string {
  const hash = createHash("sha256");
  const online = fileURLToPath(new URL("../online-migrations/", import.meta.url));
  for (const [dir, ext] of [[migrationsDir(), ".sql"], [online, ".ts"]] as const) {
    for (const file of readdirSync(dir).sort()) {
      if (file.endsWith(ext)) hash.update(file).update(readFileSync(join(dir, file)));
    }
  }
  return hash.digest("hex").slice(0, 12);
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function withUser(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}

async function ensureTemplate(adminUrl: string): Promise<string> {
  const template = `sb_tpl_${migrationsHash()}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin`select pg_advisory_lock(4242)`;
    const [found] = await admin`select 1 from pg_database where datname = ${template}`;
    if (!found) {
      await admin.unsafe(`create database "${template}_build"`);
      const buildUrl = withDatabase(adminUrl, `${template}_build`);
      await migrate(buildUrl);
      await ensureAppLogin(buildUrl, withUser(adminUrl, TEST_APP_USER, TEST_APP_USER));
      await admin.unsafe(`alter database "${template}_build" rename to "${template}"`);
    }
    await admin`select pg_advisory_unlock(4242)`;
    return template;
  } finally {
    await admin.end({ timeout: 5 });
  }
}

let pgliteTemplate: Promise<Blob> | null = null;

async function pgliteFromTemplate(): Promise<PGlite> {
  pgliteTemplate ??= (async () => {
    const pg = await PGlite.create();
    await migratePgliteClient(pg);
    const dump = await pg.dumpDataDir("none");
    await pg.close();
    return dump;
  })();
  return PGlite.create({ loadDataDir: await pgliteTemplate });
}

/** A fresh, migrated, empty database for one test file. Call `close()` in afterAll. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.SB_TEST_DATABASE_URL;
  if (!adminUrl) {
    const client = await pgliteFromTemplate();
    const app = pgliteHandle(client, "switchboard_app");
    const owner = pgliteHandle(client, null);
    return { kind: "pglite", app, owner, appUrl: null, ownerUrl: null, close: () => client.close() };
  }
  const template = await ensureTemplate(adminUrl);
  const name = `sb_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${template}"`);
  const ownerUrl = withDatabase(adminUrl, name);
  const appUrl = withUser(ownerUrl, TEST_APP_USER, TEST_APP_USER);
  const app = await createDb({ url: appUrl, max: 5 });
  const owner = await createDb({ url: ownerUrl, max: 2 });
  return {
    kind: "postgres",
    app,
    owner,
    appUrl,
    ownerUrl,
    async close() {
      await app.close();
      await owner.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** The PostgreSQL error under Drizzle's "Failed query" wrapper. */
export function pgError(err: unknown): { code?: string; message: string } {
  let e = err as { cause?: unknown; code?: string; message?: string } | undefined;
  while (e?.cause && !e.code) e = e.cause as typeof e;
  return { code: e?.code, message: e?.message ?? String(err) };
}

/** Resolves to the PostgreSQL error code a promise rejected with (throws if it resolved). */
export async function rejectionCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (err) {
    return pgError(err).code;
  }
  throw new Error("expected the statement to be rejected");
}
