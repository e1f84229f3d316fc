// pg-boss's maintenance through our driver: on PostgreSQL it sends `BEGIN; …; COMMIT` texts (advisory-locked
// expiry, archive and drop), which postgres.js refuses on a shared pool. They must run (jobs of a dead worker are
// only retried once maintenance expires them) and leave no runner errors.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { startJobRunner } from "../src/index";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const rows = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];

describe("pg-boss maintenance", () => {
  it("runs without errors and records its pass", async () => {
    const errors: string[] = [];
    const maintainedOn = async () => rows(await t.owner.db.execute(sql`select maintained_on from pgboss.version`))[0]?.maintained_on ?? null;
    const before = await maintainedOn();
    // A 2 s mail timeout makes maintenance run every second.
    const runner = await startJobRunner({
      db: t.app,
      url: t.appUrl ?? undefined,
      mailer: null,
      mailSendTimeoutSeconds: 2,
      sessionAbsoluteLifetimeSeconds: 3600,
      log: { info() {}, warn() {}, error: (o, m) => errors.push(`${m}: ${String((o as { err?: Error }).err?.message)}`) },
    });
    try {
      const end = Date.now() + 15_000;
      while (Date.now() < end && String(await maintainedOn()) === String(before)) await new Promise((r) => setTimeout(r, 200));
      await new Promise((r) => setTimeout(r, 2500)); // another pass or two
    } finally {
      await runner.stop(2000);
    }
    expect(String(await maintainedOn())).not.toBe(String(before));
    expect(errors).toEqual([]);
  }, 30_000);
});
