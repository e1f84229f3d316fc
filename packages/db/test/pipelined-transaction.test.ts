// Tenant transactions are pipelined on PostgreSQL: BEGIN, the scope and the first query leave in ONE socket write
// (postgres.js is patched for BEGIN, see patches/README.md; withScope does not wait for the scope statement).
// Fails if the patch is lost in a postgres.js upgrade.
import { Socket } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenants, withScope } from "../src/index";
import { createTestDatabase, type TestDatabase } from "../src/testing/index";

let t: TestDatabase;
const A = crypto.randomUUID();

beforeAll(async () => {
  t = await createTestDatabase();
  await withScope(t.app, { tenantId: A, userId: crypto.randomUUID() }, (tx) => tx.insert(tenants).values({ id: A, slug: "pipe-a", name: "A" }));
});
afterAll(() => t?.close());

/** Socket writes made while `fn` runs (every socket of the process: run nothing else meanwhile). */
async function countWrites<T>(fn: () => Promise<T>): Promise<{ writes: number; result: T }> {
  const write = Socket.prototype.write;
  let writes = 0;
  Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket["write"]>) {
    writes++;
    return write.apply(this, args);
  } as Socket["write"];
  try {
    const result = await fn();
    return { writes, result };
  } finally {
    Socket.prototype.write = write;
  }
}

describe.runIf(process.env.SB_TEST_DATABASE_URL)("pipelined tenant transactions on PostgreSQL", () => {
  it("BEGIN, the scope and the first query go out in one write; COMMIT in a second", async () => {
    const read = () => withScope(t.app, { tenantId: A }, (tx) => tx.select({ slug: tenants.slug }).from(tenants));
    await read(); // every statement prepared on this connection already (first use describes it)
    await Promise.all(Array.from({ length: 10 }, read)); // ... and on the others of the pool
    const { writes, result } = await countWrites(read);
    expect(result).toEqual([{ slug: "pipe-a" }]);
    expect(writes).toBe(2);
  });

  it("a statement that fails after BEGIN still rolls the whole transaction back", async () => {
    const err = await withScope(t.app, { tenantId: A }, async (tx) => {
      await tx.update(tenants).set({ name: "changed" });
      await tx.execute(sql`select 1 / 0`);
    }).catch((e: unknown) => e);
    expect((err as { cause?: { code?: string } }).cause?.code ?? (err as { code?: string }).code).toBe("22012");
    const [row] = await withScope(t.app, { tenantId: A }, (tx) => tx.select({ name: tenants.name }).from(tenants));
    expect(row!.name).toBe("A");
  });
});
