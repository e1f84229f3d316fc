// A backend that dies mid-transaction fails only the transactions it carried; the process survives and the pool
// recovers. Without the postgres.js patch's guard (patches/README.md) this run ends the process: a write scheduled
// from a setImmediate hits the closed connection's null socket (porsager/postgres#1066, #1208), a transaction
// waits forever on a reply that belongs to the next session, or the type fetch of a reconnecting connection is an
// unhandled rejection.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenants, withScope } from "../src/index";
import { createTestDatabase, type TestDatabase } from "../src/testing/index";

let t: TestDatabase;
const A = crypto.randomUUID();

beforeAll(async () => {
  t = await createTestDatabase();
  await withScope(t.app, { tenantId: A, userId: crypto.randomUUID() }, (tx) => tx.insert(tenants).values({ id: A, slug: "dead-a", name: "A" }));
});
afterAll(() => t?.close());

/** What a backend killed under a transaction may surface as; anything else is a bug. */
const connectionLost = new Set(["57P01", "CONNECTION_CLOSED", "CONNECTION_DESTROYED", "ECONNRESET", "EPIPE"]);
const codeOf = (e: unknown) => {
  const err = e as { code?: string; cause?: { code?: string } };
  return err.cause?.code ?? err.code ?? String(e);
};

/** One scoped transaction of three statements, like a tenant procedure (scope pipelined with BEGIN). */
const transaction = () =>
  withScope(t.app, { tenantId: A }, async (tx) => {
    await tx.select({ slug: tenants.slug }).from(tenants);
    await tx.execute(sql`select pg_sleep(0.002)`);
    return tx.select({ name: tenants.name }).from(tenants);
  });

describe.runIf(process.env.SB_TEST_DATABASE_URL)("backends killed mid-transaction under concurrent load", () => {
  it("fails only the transactions in flight, never hangs one, and the pool recovers", async () => {
    const appUser = new URL(t.appUrl!).username;
    let running = true;
    let ok = 0;
    const failures = new Map<string, number>();
    const workers = Array.from({ length: 12 }, async () => {
      while (running) {
        try {
          await transaction();
          ok++;
        } catch (e) {
          failures.set(codeOf(e), (failures.get(codeOf(e)) ?? 0) + 1);
        }
      }
    });
    let killed = 0;
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 250));
      const rows = await t.owner.db.execute(
        sql`select pg_terminate_backend(pid) from pg_stat_activity where usename = ${appUser} and datname = current_database()`,
      );
      killed += (rows as unknown as unknown[]).length;
    }
    running = false;
    const settled = await Promise.race([Promise.all(workers).then(() => true), new Promise((r) => setTimeout(() => r(false), 20_000))]);
    expect(settled, "every transaction settled").toBe(true);
    expect(killed).toBeGreaterThan(0);
    expect([...failures.keys()].filter((code) => !connectionLost.has(code))).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    // Recovered: new transactions succeed on the same pool.
    const after = await Promise.all(Array.from({ length: 12 }, transaction));
    expect(after.every((rows) => rows[0]?.name === "A")).toBe(true);
    console.log(`dead backends: ${killed} killed, ${ok} transactions ok, failed ${JSON.stringify(Object.fromEntries(failures))}`);
  }, 60_000);
});
