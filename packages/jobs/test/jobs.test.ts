// The job runner and the mail job on the test database (real PostgreSQL under `pnpm test`): jobs enqueued in a
// transaction, mail sent through a real SMTP server and read back, exactly once, redacted, retried after an SMTP
// failure, tenant jobs in the tenant's scope as the app role, and the clean-up schedules.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  emailOutbox,
  invitations,
  loginAttempts,
  memberships,
  rateLimitWindows,
  sessions,
  tenants,
  users,
  withScope,
} from "@switchboard/db";
import { createTestDatabase, rejectionCode, type TestDatabase } from "@switchboard/db/testing";
import { cleanupAccounts, createMailer, enqueue, internalQueues, jobs, type JobRunner, renderMail, sendOutboxMail, startJobRunner } from "../src/index";
import { type MailCatcher, startMailCatcher } from "../src/mail/catcher";

let t: TestDatabase;
let catcher: MailCatcher;
let runner: JobRunner | null = null;
const A = crypto.randomUUID();
const B = crypto.randomUUID();
let owner: string;
const token = "Tq8v_9xYtR2mK8pLw4nB7cD1eF6gH0jA5sU-oI2qWeZ";
const silent = { info() {}, warn() {}, error() {} };

const rows = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];
const ownerQuery = async (q: ReturnType<typeof sql>) => rows(await t.owner.db.execute(q));

/** What a service does through queueEmail: the rendered row and its job, in one transaction. */
async function queueMail(tenantId: string | null, to: string, opts: { retryDelay?: number } = {}) {
  const link = `http://${tenantId ? "acme." : ""}localhost:3000/verify-email?token=${token}`;
  const r = renderMail({ template: "verify-email", to, name: "Ada", link });
  return withScope(t.app, { tenantId }, async (tx) => {
    const [row] = await tx
      .insert(emailOutbox)
      .values({ tenantId, kind: "verify-email", to, subject: r.subject, body: r.text, html: r.html })
      .returning({ id: emailOutbox.id });
    const jobId = await enqueue(tx, "mail.send", { outboxId: row!.id, tenantId }, opts);
    return { outboxId: row!.id, jobId };
  });
}

const outboxRow = (id: string) => ownerQuery(sql`select * from email_outbox where id = ${id}`).then((r) => r[0]!);
const job = (id: string) => ownerQuery(sql`select state, retry_count, output from pgboss.job where id = ${id}`).then((r) => r[0]);

async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

function start(): Promise<JobRunner> {
  return startJobRunner({
    db: t.app,
    url: t.appUrl ?? undefined,
    mailer: createMailer({ smtpUrl: `${catcher.smtpUrl}?name=jobs-test`, from: "Switchboard <no-reply@switchboard.test>", timeoutSeconds: 10 }),
    mailSendTimeoutSeconds: 10,
    sessionAbsoluteLifetimeSeconds: 3600,
    log: silent,
    pollingIntervalSeconds: 0.5,
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  catcher = await startMailCatcher({ uiPort: 0 });
  owner = await withScope(t.app, {}, async (tx) => {
    const [u] = await tx.insert(users).values({ email: "olivia@jobs.test", name: "Olivia", passwordHash: "x" }).returning({ id: users.id });
    return u!.id;
  });
  for (const [id, slug] of [
    [A, "jobs-a"],
    [B, "jobs-b"],
  ] as const) {
    await withScope(t.app, { tenantId: id, userId: owner }, async (tx) => {
      await tx.insert(tenants).values({ id, slug, name: slug });
      await tx.insert(memberships).values({ tenantId: id, userId: owner, role: "owner" });
    });
  }
  runner = await start();
});
afterAll(async () => {
  await runner?.stop(2000);
  await catcher?.close();
  await t?.close();
});

describe("the job schema", () => {
  it("has a queue for every job kind, installed by the migrations", async () => {
    const queues = (await ownerQuery(sql`select name from pgboss.queue`)).map((r) => r.name);
    expect(queues.sort()).toEqual([...Object.keys(jobs), ...internalQueues].sort());
  });

  it.runIf(process.env.SB_TEST_DATABASE_URL)("gives the app role DML only: it cannot create queues (DDL) nor read other schemas' secrets", async () => {
    const [me] = rows(await t.app.db.execute(sql`select current_user as u`));
    expect(me!.u).not.toBe("postgres");
    expect(await rejectionCode(t.app.db.execute(sql`select pgboss.create_queue('rogue', '{}'::json)`))).toBe("42501");
    expect(await rejectionCode(t.app.db.execute(sql`create table pgboss.rogue (id int)`))).toBe("42501");
  });
});

describe("enqueue", () => {
  it("queues nothing when the caller's transaction rolls back, and the job when it commits", async () => {
    const outboxId = crypto.randomUUID();
    await expect(
      withScope(t.app, {}, async (tx) => {
        await enqueue(tx, "cleanup.tenant", { tenantId: A }, { startAfter: 3600 });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    const committed = await withScope(t.app, {}, (tx) => enqueue(tx, "mail.send", { outboxId, tenantId: null }, { startAfter: 3600 }));
    const queued = await ownerQuery(sql`select id, data, retry_limit, retry_backoff from pgboss.job where name in ('mail.send', 'cleanup.tenant') and start_after > now() + interval '10 minutes'`);
    expect(queued).toEqual([{ id: committed, data: { outboxId, tenantId: null }, retry_limit: 8, retry_backoff: true }]);
    await t.owner.db.execute(sql`delete from pgboss.job where id = ${committed}`);
  });

  it("refuses malformed job data before anything is written", async () => {
    await expect(withScope(t.app, {}, (tx) => enqueue(tx, "mail.send", { outboxId: "not-a-uuid", tenantId: null }))).rejects.toThrow();
  });
});

describe("mail.send", () => {
  it("sends account mail through SMTP, then keeps only a redacted copy", async () => {
    const { outboxId, jobId } = await queueMail(null, "ada@jobs.test");
    const mail = await catcher.waitFor("ada@jobs.test");
    expect(mail.subject).toBe("Confirm your e-mail address for Switchboard");
    expect(mail.from).toEqual([{ address: "no-reply@switchboard.test", name: "Switchboard" }]);
    expect(mail.text).toContain(`verify-email?token=${token}`);
    expect(mail.html).toContain(`href="http://localhost:3000/verify-email?token=${token}"`);
    expect(mail.clientName).toBe("jobs-test");

    const row = await until(async () => {
      const r = await outboxRow(outboxId);
      return r.sent_at ? r : null;
    });
    expect(row.attempts).toBe(1);
    expect(row.last_error).toBeNull();
    expect(`${row.body as string}${row.html as string}`).not.toContain(token);
    expect(row.body).toContain("verify-email?token=[redacted]");
    expect(await until(async () => (await job(jobId))?.state === "completed")).toBe(true);

    // The catcher's REST API serves the same mail.
    const listed = (await (await fetch(`${catcher.uiUrl}/email`)).json()) as { to: { address: string }[]; subject: string; text: string; html: string }[];
    const same = listed.find((m) => m.to[0]!.address === "ada@jobs.test")!;
    expect(same.subject).toBe(mail.subject);
    expect(same.text).toBe(mail.text);
  });

  it("sends exactly once: a repeated job for a sent row does nothing", async () => {
    const { outboxId } = await queueMail(null, "once@jobs.test");
    await catcher.waitFor("once@jobs.test");
    await until(async () => (await outboxRow(outboxId)).sent_at);
    const mailer = createMailer({ smtpUrl: catcher.smtpUrl, from: "x@switchboard.test", timeoutSeconds: 10 });
    expect(await sendOutboxMail(t.app, mailer, { outboxId, tenantId: null })).toBe("already-sent");
    await withScope(t.app, {}, (tx) => enqueue(tx, "mail.send", { outboxId, tenantId: null }));
    await new Promise((r) => setTimeout(r, 1500));
    expect(catcher.messages().filter((m) => m.to[0]!.address === "once@jobs.test")).toHaveLength(1);
  });

  it("a second worker that gets the same mail while the first is still sending backs off: one mail", async () => {
    // Two workers on one row, the first one's delivery held open by the SMTP server (the runner is paused).
    await runner!.stop(500);
    runner = null;
    const { outboxId } = await queueMail(null, "race@jobs.test");
    const held = catcher.holdNext();
    const mailer = createMailer({ smtpUrl: catcher.smtpUrl, from: "x@switchboard.test", timeoutSeconds: 10 });
    const first = sendOutboxMail(t.app, mailer, { outboxId, tenantId: null });
    await held.arrived;
    const second = await sendOutboxMail(t.app, mailer, { outboxId, tenantId: null }).catch((e: Error) => e);
    expect(second).toBeInstanceOf(Error);
    held.release();
    expect(await first).toBe("sent");
    expect(await sendOutboxMail(t.app, mailer, { outboxId, tenantId: null })).toBe("already-sent");
    expect(catcher.messages().filter((m) => m.to[0]!.address === "race@jobs.test")).toHaveLength(1);
    await t.owner.db.execute(sql`delete from pgboss.job where data->>'outboxId' = ${outboxId}`);
    runner = await start();
  });

  it("records an SMTP failure on the row and retries with backoff until it is sent", async () => {
    catcher.failNext(1);
    const { outboxId, jobId } = await queueMail(null, "retry@jobs.test", { retryDelay: 1 });
    const failed = await until(async () => {
      const r = await outboxRow(outboxId);
      return r.attempts === 1 ? r : null;
    });
    expect(failed.sent_at).toBeNull();
    expect(failed.last_error).toMatch(/451|Temporary failure/);
    await catcher.waitFor("retry@jobs.test", 20_000);
    const sent = await until(async () => {
      const r = await outboxRow(outboxId);
      return r.sent_at ? r : null;
    });
    expect(sent.attempts).toBe(2);
    expect(sent.last_error).toBeNull();
    expect((await job(jobId))!.retry_count).toBe(1);
    expect(catcher.messages().filter((m) => m.to[0]!.address === "retry@jobs.test")).toHaveLength(1);
  });

  it("sends tenant mail from inside its tenant's scope (the row is invisible anywhere else)", async () => {
    const { outboxId } = await queueMail(A, "invitee@jobs.test");
    const mail = await catcher.waitFor("invitee@jobs.test");
    expect(mail.text).toContain("http://acme.localhost:3000/verify-email");
    await until(async () => (await outboxRow(outboxId)).sent_at);
    // A job naming the wrong tenant cannot see the row, so it cannot send it.
    const { outboxId: other } = await withScope(t.app, { tenantId: B }, async (tx) => {
      const [row] = await tx.insert(emailOutbox).values({ tenantId: B, kind: "invitation", to: "b@jobs.test", subject: "s", body: "b" }).returning({ id: emailOutbox.id });
      return { outboxId: row!.id };
    });
    const mailer = createMailer({ smtpUrl: catcher.smtpUrl, from: "x@switchboard.test", timeoutSeconds: 10 });
    expect(await sendOutboxMail(t.app, mailer, { outboxId: other, tenantId: A })).toBe("missing");
    expect(await sendOutboxMail(t.app, mailer, { outboxId: other, tenantId: null })).toBe("missing");
  });
});

describe("a database outage at the moment a job completes", () => {
  it.runIf(process.env.SB_TEST_DATABASE_URL)("is an error event, not a crash: the job is retried after its timeout and the mail stays sent once", async () => {
    const errors: string[] = [];
    await runner!.stop(500);
    runner = await startJobRunner({
      db: t.app,
      url: t.appUrl!,
      mailer: createMailer({ smtpUrl: catcher.smtpUrl, from: "x@switchboard.test", timeoutSeconds: 4 }),
      mailSendTimeoutSeconds: 4,
      sessionAbsoluteLifetimeSeconds: 3600,
      log: { ...silent, error: (o: { queue?: string }) => void errors.push(o.queue ?? "") },
      pollingIntervalSeconds: 0.5,
    });
    const database = new URL(t.ownerUrl!).pathname.slice(1);
    const held = catcher.holdNext();
    const { outboxId, jobId } = await queueMail(null, "outage@jobs.test", { retryDelay: 1 });
    await held.arrived;
    // The worker's own connections go away and cannot come back while the mail is being accepted.
    await t.owner.db.execute(sql.raw(`alter database "${database}" connection limit 0`));
    await t.owner.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'switchboard-jobs'`);
    held.release();
    await until(async () => errors.includes("mail.send"), 10_000);
    await t.owner.db.execute(sql.raw(`alter database "${database}" connection limit -1`));
    expect(await until(async () => (await job(jobId))?.state === "completed", 40_000)).toBe(true);
    expect(catcher.messages().filter((m) => m.to[0]!.address === "outage@jobs.test")).toHaveLength(1);
    expect((await outboxRow(outboxId)).attempts).toBe(1);
    await runner!.stop(500);
    runner = await start();
  }, 60_000);
});

describe("tenant jobs", () => {
  it("run as the app role inside the tenant's scope: only that tenant's expired invitations go", async () => {
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    const invite = (tenantId: string, email: string, expiresAt: Date) =>
      withScope(t.app, { tenantId }, (tx) =>
        tx.insert(invitations).values({ tenantId, email, role: "agent", tokenHash: `h-${crypto.randomUUID()}`, expiresAt }).returning({ id: invitations.id }),
      );
    await invite(A, "old@a.test", longAgo);
    await invite(A, "fresh@a.test", new Date(Date.now() + 86_400_000));
    await invite(B, "old@b.test", longAgo);

    const jobId = await withScope(t.app, {}, (tx) => enqueue(tx, "cleanup.tenant", { tenantId: A }));
    const done = await until(async () => {
      const j = await job(jobId);
      return j?.state === "completed" ? j : null;
    });
    const appLogin = t.kind === "postgres" ? "sb_test_app" : "switchboard_app";
    expect(done.output).toEqual({ scope: { tenantId: A, role: appLogin }, deleted: { invitations: 1, mail: 0 } });
    const left = await ownerQuery(sql`select email from invitations order by email`);
    expect(left.map((r) => r.email)).toEqual(["fresh@a.test", "old@b.test"]);
  });

  it("the hourly sweep finds tenants with expired records and cleans each in its own scope", async () => {
    const jobId = await withScope(t.app, {}, (tx) => enqueue(tx, "cleanup.tenants", {}));
    await until(async () => (await job(jobId))?.state === "completed");
    expect((await job(jobId))!.output).toEqual({ tenants: 1 });
    await until(async () => (await ownerQuery(sql`select 1 from invitations where email = 'old@b.test'`)).length === 0);
    const sweeps = await ownerQuery(sql`select data, output from pgboss.job where name = 'cleanup.tenant' and data->>'tenantId' = ${B}`);
    expect(sweeps).toHaveLength(1);
  });

  it("are scheduled by cron (once across replicas)", async () => {
    const scheduled = await ownerQuery(sql`select name, cron, timezone from pgboss.schedule order by name`);
    expect(scheduled).toEqual([
      { name: "cleanup.accounts", cron: "*/10 * * * *", timezone: "UTC" },
      { name: "cleanup.tenants", cron: "17 * * * *", timezone: "UTC" },
      { name: "exports.expire", cron: "7 * * * *", timezone: "UTC" },
      { name: "purge.due", cron: "23 * * * *", timezone: "UTC" },
      { name: "retention.run", cron: "53 2 * * *", timezone: "UTC" },
      { name: "webhooks.prune", cron: "41 3 * * *", timezone: "UTC" },
    ]);
  });
});

describe("cleanup.accounts", () => {
  it("deletes expired sessions, old counters and old failed sign-ins, and keeps live ones", async () => {
    const past = new Date(Date.now() - 60_000);
    const future = new Date(Date.now() + 3_600_000);
    await withScope(t.app, {}, async (tx) => {
      await tx.insert(sessions).values([
        { id: "expired", userId: owner, expiresAt: past },
        { id: "too-old", userId: owner, expiresAt: future, createdAt: new Date(Date.now() - 2 * 3_600_000) },
        { id: "live", userId: owner, expiresAt: future },
      ]);
      await tx.insert(rateLimitWindows).values([
        { bucket: "auth:1.2.3.4", windowStart: new Date(Date.now() - 3_600_000), count: 3 },
        { bucket: "auth:1.2.3.4", windowStart: new Date(Math.floor(Date.now() / 60_000) * 60_000), count: 1 },
      ]);
      await tx.insert(loginAttempts).values([
        { account: "acc", ip: "1.2.3.4", success: false, at: new Date(Date.now() - 2 * 86_400_000) },
        { account: "acc", ip: "1.2.3.4", success: true, at: new Date(Date.now() - 2 * 86_400_000) },
      ]);
    });
    const deleted = await cleanupAccounts(t.app, { sessionAbsoluteLifetimeSeconds: 3600 });
    expect(deleted).toMatchObject({ sessions: 2, rateLimitWindows: 1, loginAttempts: 1 });
    expect((await t.owner.db.select({ id: sessions.id }).from(sessions)).map((s) => s.id)).toEqual(["live"]);
    expect(await t.owner.db.select().from(loginAttempts).where(and(eq(loginAttempts.account, "acc"), eq(loginAttempts.success, true)))).toHaveLength(1);
  });
});
