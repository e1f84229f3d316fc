// Retention on the test database (real PostgreSQL under `pnpm test`): the daily job removes a tenant's message bodies
// and call transcripts older than its setting, in batches, in the tenant's scope, leaving the rows, the newer content
// and other tenants alone; and the batch statements walk the partial retention indexes under RLS, never a whole table.
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Tx, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { enqueue, type JobRunner, startJobRunner } from "../src/index";
import { until } from "./until";
import { dueMessageBodies, dueTranscripts, removeMessageBodies, removeTranscripts, retentionBatchSize } from "../src/retention/retention";

let t: TestDatabase;
let runner: JobRunner | null = null;
const A = crypto.randomUUID();
const B = crypto.randomUUID();
const silent = { info() {}, warn() {}, error() {} };
const day = 86_400_000;

const rows = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];
const ownerQuery = async (q: ReturnType<typeof sql>) => rows(await t.owner.db.execute(q));

/**
 * Two tenants, each with 200 conversations of 60 messages (12,000) and 6,000 calls with transcripts, one a day
 * spread over the past 400 days; realistic statistics, so the planner's choice is the one production makes.
 */
async function seed() {
  for (const [id, slug] of [[A, "retention-a"], [B, "retention-b"]] as const) {
    await t.owner.db.execute(sql`insert into tenants (id, slug, name) values (${id}, ${slug}, ${slug})`);
    await t.owner.db.execute(sql`
      insert into engagements (tenant_id, channel, customer, subject)
      select ${id}, 'email', 'c' || i || '@example.com', 'order ' || i from generate_series(1, 200) i`);
    await t.owner.db.execute(sql`
      insert into messages (tenant_id, engagement_id, kind, author_type, author_name, body, created_at)
      select e.tenant_id, e.id, 'inbound', 'customer', 'C', 'about my order ' || md5(e.id::text || i),
             now() - make_interval(days => (i * 7 + abs(hashtext(e.id::text)) % 7) % 400)
        from engagements e, generate_series(1, 60) i where e.tenant_id = ${id}`);
    await t.owner.db.execute(sql`
      insert into calls (tenant_id, direction, customer_phone, status, started_at, transcript)
      select ${id}, 'inbound', '+1555000' || lpad(i::text, 4, '0'), 'completed', now() - make_interval(days => i % 400), 'hello ' || i
        from generate_series(1, 6000) i`);
  }
  await t.owner.db.execute(sql`vacuum analyze messages`);
  await t.owner.db.execute(sql`vacuum analyze calls`);
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seed();
});
afterAll(async () => {
  await runner?.stop();
  await t?.close();
});

/** The plan of the job's own statement, as the app role in tenant A's scope (its SQL, not wrapped as a subquery). */
async function planAsApp(statement: (tx: Tx) => { getSQL(): SQL }): Promise<string> {
  return withScope(t.app, { tenantId: A }, async (tx) => {
    const result = await tx.execute(sql`explain (costs off) ${statement(tx).getSQL()}`);
    return rows(result)
      .map((r) => r["QUERY PLAN"])
      .join("\n");
  });
}

describe("retention batches under RLS", () => {
  it("message bodies: the due ones along messages_tenant_retention_idx, then those rows within their range of it; no sequential scan", async () => {
    const before = new Date(Date.now() - 30 * day);
    const due = await withScope(t.app, { tenantId: A }, (tx) => dueMessageBodies(tx, A, before));
    expect(due).toHaveLength(retentionBatchSize);
    const select = await planAsApp((tx) => dueMessageBodies(tx, A, before));
    expect(select).toMatch(/Index Scan using messages_tenant_retention_idx on messages/);
    const update = await planAsApp((tx) => removeMessageBodies(tx, A, due));
    expect(update).toMatch(/Index Scan (using|on) messages_tenant_retention_idx/);
    expect(`${select}\n${update}`).not.toMatch(/Seq Scan/);
  });

  it("transcripts: the due ones along calls_tenant_transcript_retention_idx, then those rows within their range of it; no sequential scan", async () => {
    const before = new Date(Date.now() - 7 * day);
    const due = await withScope(t.app, { tenantId: A }, (tx) => dueTranscripts(tx, A, before));
    expect(due).toHaveLength(retentionBatchSize);
    const select = await planAsApp((tx) => dueTranscripts(tx, A, before));
    expect(select).toMatch(/Index Scan using calls_tenant_transcript_retention_idx on calls/);
    const update = await planAsApp((tx) => removeTranscripts(tx, A, due));
    expect(update).toMatch(/Index Scan (using|on) calls_tenant_transcript_retention_idx/);
    expect(`${select}\n${update}`).not.toMatch(/Seq Scan/);
  });
});

describe("retention.run → retention.tenant", () => {
  it("removes the tenant's bodies and transcripts older than its setting, in batches; rows, newer content and other tenants stay", async () => {
    const count = async (q: ReturnType<typeof sql>) => Number((await ownerQuery(q))[0]!.n);
    const dueBodies = await count(sql`select count(*) as n from messages where tenant_id = ${A} and created_at < now() - interval '30 days'`);
    const keptBodies = await count(sql`select count(*) as n from messages where tenant_id = ${A} and created_at >= now() - interval '30 days'`);
    const dueTranscripts = await count(sql`select count(*) as n from calls where tenant_id = ${A} and started_at < now() - interval '7 days'`);
    expect(dueBodies).toBeGreaterThan(2 * retentionBatchSize);
    expect(keptBodies).toBeGreaterThan(0);
    await t.owner.db.execute(sql`update tenants set retention = ${JSON.stringify({ messagesDays: 30, transcriptsDays: 7 })}::jsonb where id = ${A}`);

    runner = await startJobRunner({
      db: t.app,
      url: t.appUrl ?? undefined,
      mailer: null,
      mailSendTimeoutSeconds: 10,
      sessionAbsoluteLifetimeSeconds: 3600,
      log: silent,
      pollingIntervalSeconds: 0.5,
    });
    const jobId = await withScope(t.app, {}, (tx) => enqueue(tx, "retention.run", {}));
    const run = await until(async () => {
      const [job] = await ownerQuery(sql`select state, output from pgboss.job where id = ${jobId}`);
      return job?.state === "completed" && job;
    });
    expect(run.output).toEqual({ tenants: 1 });
    const tenantJob = await until(async () => {
      const [job] = await ownerQuery(sql`select state, output, data from pgboss.job where name = 'retention.tenant'`);
      return job?.state === "completed" && job;
    });
    expect(tenantJob.data).toEqual({ tenantId: A });
    expect(tenantJob.output).toEqual({ messages: dueBodies, transcripts: dueTranscripts });

    // A: old bodies gone (rows and metadata kept), newer ones intact; old transcripts gone, calls kept.
    expect(await count(sql`select count(*) as n from messages where tenant_id = ${A} and body = '' and redacted_at is not null`)).toBe(dueBodies);
    expect(await count(sql`select count(*) as n from messages where tenant_id = ${A} and redacted_at is null and body <> ''`)).toBe(keptBodies);
    expect(await count(sql`select count(*) as n from messages where tenant_id = ${A} and redacted_at is not null and created_at >= now() - interval '30 days'`)).toBe(0);
    expect(await count(sql`select count(*) as n from messages where tenant_id = ${A}`)).toBe(12_000);
    expect(await count(sql`select count(*) as n from calls where tenant_id = ${A} and transcript is null`)).toBe(dueTranscripts);
    expect(await count(sql`select count(*) as n from calls where tenant_id = ${A}`)).toBe(6000);
    // B has no setting: untouched.
    expect(await count(sql`select count(*) as n from messages where tenant_id = ${B} and redacted_at is not null`)).toBe(0);
    expect(await count(sql`select count(*) as n from calls where tenant_id = ${B} and transcript is null`)).toBe(0);
  });
});
