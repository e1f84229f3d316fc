// The purge jobs on the test database: `purge.due` finds the archived tenant past its grace period and the real
// runner's `purge.tenant` deletes it batch by batch (the function's own tests are packages/db/test/purge.test.ts),
// recorded in platform_audit by the system; a tenant within its grace period is left alone; a purge cut short by
// its time budget hands the rest to a new job, which finishes it.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateTenants, platformAudit, rowsOf, tenants, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { enqueue, type JobRunner, purgeTenant, startJobRunner } from "../src/index";

let t: TestDatabase;
let runner: JobRunner | null = null;
const silent = { info() {}, warn() {}, error() {} };

beforeAll(async () => {
  t = await createTestDatabase();
  await generateTenants(t.app, { tenants: 4, days: 2, scale: 1, seed: 3, until: new Date("2026-01-01T00:00:00Z"), prefix: "jpurge", hashPassword: async () => "x" });
});
afterAll(async () => {
  await runner?.stop(2000);
  await t?.close();
});

const idOf = async (slug: string) => (await t.owner.db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug)))[0]?.id;
const callsOf = async (tenantId: string) =>
  rowsOf<{ n: number }>(await t.owner.db.execute(sql`select count(*)::int as n from calls where tenant_id = ${tenantId}`))[0]!.n;
const archive = (id: string, purgeAfter: Date) =>
  t.owner.db.update(tenants).set({ status: "archived", archivedAt: new Date(), purgeAfter }).where(eq(tenants.id, id));

async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("purge.due and purge.tenant", () => {
  it("the runner purges the tenant due, records it in platform_audit, and leaves the others", async () => {
    const doomed = (await idOf("jpurge-00001"))!;
    const waiting = (await idOf("jpurge-00002"))!;
    const live = (await idOf("jpurge-00003"))!;
    const calls = await callsOf(doomed);
    expect(calls).toBeGreaterThan(0);
    const liveCalls = await callsOf(live);
    await archive(doomed, new Date(Date.now() - 1000));
    await archive(waiting, new Date(Date.now() + 3_600_000));

    runner = await startJobRunner({
      db: t.app,
      url: t.appUrl ?? undefined,
      mailer: null,
      mailSendTimeoutSeconds: 10,
      sessionAbsoluteLifetimeSeconds: 3600,
      log: silent,
      pollingIntervalSeconds: 0.5,
      purge: { batchSize: 100, pauseMs: 0 },
    });
    await withScope(t.app, {}, (tx) => enqueue(tx, "purge.due", {}, { wake: true }));
    await until(async () => (await idOf("jpurge-00001")) === undefined);

    const [entry] = await t.owner.db.select().from(platformAudit).where(and(eq(platformAudit.targetTenantId, doomed), eq(platformAudit.action, "tenant.purged")));
    expect(entry).toMatchObject({ actorId: null, actorLabel: "system", details: { slug: "jpurge-00001", parentId: null } });
    expect((entry!.details as { deleted: Record<string, number> }).deleted).toMatchObject({ calls, tenants: 1 });
    expect(await callsOf(doomed)).toBe(0);
    expect(await idOf("jpurge-00002")).toBe(waiting);
    expect(await callsOf(live)).toBe(liveCalls);
    await runner.stop(2000);
    runner = null;
  });

  it("within its grace period (or restored, or purged already) the job does nothing; a purge cut short is continued by a new job", async () => {
    const waiting = (await idOf("jpurge-00002"))!;
    expect(await purgeTenant(t.app, waiting)).toMatchObject({ purged: false, skipped: "not archived past its grace period", batches: 0 });
    expect(await purgeTenant(t.app, crypto.randomUUID())).toMatchObject({ purged: false, skipped: "not archived past its grace period" });

    const slow = (await idOf("jpurge-00004"))!;
    await archive(slow, new Date(Date.now() - 1000));
    const first = await purgeTenant(t.app, slow, { batchSize: 50, maxMs: 0 });
    expect(first).toMatchObject({ purged: false, continued: true, batches: 1 });
    const queued = rowsOf<{ n: number }>(
      await t.owner.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'purge.tenant' and data->>'tenantId' = ${slow} and state = 'created'`),
    )[0]!.n;
    expect(queued).toBe(1);
    // Nothing carried over but the rows themselves: the next run picks up where the last one stopped.
    const rest = await purgeTenant(t.app, slow, { batchSize: 1000 });
    expect(rest.purged).toBe(true);
    expect(await idOf("jpurge-00004")).toBeUndefined();
  });
});
