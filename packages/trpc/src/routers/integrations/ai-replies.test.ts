// AI replies end to end on the test database, against a local OpenAI-compatible server that checks every request's
// shape: ingest queues the job in its transaction, the job answers as an `ai_agent` message, hands off on a keyword,
// on asking for a person, at maxTurns, when the model says so and after provider failures; routing is AI first,
// people after the handoff; usage reaches analytics; the tenant's own key is sealed and only it reaches the
// tenant's baseUrl. The last test runs the real job runner with the echo provider (what `pnpm start` does).
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { aiUsage, engagements, integrations, webhookEvents, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { type AiReplyDeps, type JobRunner, runAiReply } from "@switchboard/jobs";
import { type FakeOpenAi, startFakeOpenAi } from "@switchboard/jobs/fake-openai";
import { asKey, callerFor, codeOf, createKeyFixture, createTenantWithRoles, setTenantPlan, startTestJobRunner, testAuth } from "../../testing";
import { seedAiRepliesDemo } from "./ai-demo";
import { aiThread } from "./ai-thread";

let t: TestDatabase;
let fake: FakeOpenAi;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let agentId: string;
const configuration = { prompt: "You are the assistant of Acme Parcels.", language: "en", greeting: "Hi, Acme Parcels here!" };
const rows = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];

function deps(overrides: Partial<AiReplyDeps> = {}): AiReplyDeps {
  return {
    db: t.app,
    defaults: { baseUrl: "echo", apiKey: "sk-operator", model: "default-model" },
    timeoutSeconds: 5,
    allowHttpLocalhost: true,
    openSecret: (ciphertext, context) => testAuth(t.app).secrets.open(ciphertext, context),
    thread: aiThread,
    ...overrides,
  };
}

/** The ai.reply jobs queued for a conversation, oldest first (read as the owner: pg-boss's table). */
async function queued(engagementId: string) {
  const r = rows(await t.owner.db.execute(sql`select id, data from pgboss.job where name = 'ai.reply' and data->>'engagementId' = ${engagementId} order by created_on, id`));
  return r.map((j) => j.data as { tenantId: string; engagementId: string; messageId: string });
}

const first = { retryCount: 0, retryLimit: 3 };
let counter = 0;

async function ingest(body: string, handle = "+15550001111", channel: "whatsapp" | "email" | "chat" = "whatsapp") {
  counter += 1;
  return acme.as(acme.agent).messages.ingest({ channel, handle, body, externalId: `wamid.${counter}.${Date.now()}` });
}

/** Ingests and runs the job it queued (exactly one). */
async function ingestAndRun(body: string, handle: string, d = deps(), attempt = first) {
  const { engagement, message } = await ingest(body, handle);
  const jobs = (await queued(engagement.id)).filter((j) => j.messageId === message.id);
  expect(jobs).toHaveLength(1);
  return { engagement, result: await runAiReply(d, jobs[0]!, attempt) };
}

const thread = async (engagementId: string) => (await acme.as(acme.viewer).messages.list({ engagementId, limit: 100 })).items;
const engagementRow = (id: string) =>
  withScope(t.app, { tenantId: acme.tenant.id }, async (tx) => (await tx.select().from(engagements).where(eq(engagements.id, id)))[0]!);

beforeAll(async () => {
  t = await createTestDatabase();
  // The key is not checked by the server here: the tests read the Authorization header each request carried.
  fake = await startFakeOpenAi({ reply: (req) => `You said: ${req.body.messages.at(-1)!.content}` });
  acme = await createTenantWithRoles(t.app, "ai-acme", { tier: "pro" });
  const dev = callerFor(t.app, { user: acme.admin, tenantSlug: "ai-acme", config: { allowHttpLocalhost: true } });
  agentId = (await dev.agents.create({ name: "Parcel Bot", type: "chat", configuration: { ...configuration, provider: { model: "test-model", baseUrl: fake.baseUrl } } })).id;
  await acme.as(acme.admin).tenant.update({
    routing: { mode: "round_robin", maxOpenPerAgent: 100 },
    aiReplies: { enabled: true, channels: ["whatsapp", "chat"], agentId, handoffKeywords: ["refund"], maxTurns: 2 },
  });
  await acme.as(acme.agent).availability.set({ status: "online" });
});
afterAll(async () => {
  await fake?.close();
  await t?.close();
});

describe("AI replies", () => {
  it("answers as the agent (AI first: not routed), within maxTurns, then hands off to people at the next message", async () => {
    const { engagement, result } = await ingestAndRun("Where is my parcel?", "+15550001111");
    expect(engagement.assignedUserId).toBeNull(); // AI first: not routed at creation
    expect(result).toMatchObject({ answered: true, model: "test-model", promptTokens: 42, completionTokens: 7 });
    const req = fake.requests().at(-1)!;
    expect(req.body.model).toBe("test-model");
    expect(req.body.messages[0]!.content).toContain("You are the assistant of Acme Parcels.");
    expect(req.body.messages.slice(1)).toEqual([
      { role: "assistant", content: "Hi, Acme Parcels here!" },
      { role: "user", content: "Where is my parcel?" },
    ]);
    expect(req.headers.authorization).toBeUndefined(); // the operator's key never goes to a tenant's baseUrl
    let items = await thread(engagement.id);
    expect(items.at(-1)).toMatchObject({
      kind: "outbound",
      author: { type: "ai_agent", id: agentId, name: "Parcel Bot" },
      body: "You said: Where is my parcel?",
    });
    const afterFirst = await acme.as(acme.viewer).engagements.get({ id: engagement.id });
    expect(afterFirst).toMatchObject({ status: "open", assignedUserId: null });
    expect(afterFirst.firstResponseAt).not.toBeNull();

    expect((await ingestAndRun("It says delayed", "+15550001111")).result).toMatchObject({ answered: true });
    // maxTurns = 2 answers: the third message goes to people.
    expect((await ingestAndRun("Still nothing", "+15550001111")).result).toEqual({ handedOff: "max turns" });
    const row = await engagementRow(engagement.id);
    expect(row.aiHandedOffAt).not.toBeNull();
    expect(row.assignedUserId).toBe(acme.agent.id); // routed at the handoff
    items = await thread(engagement.id);
    expect(items.filter((m) => m.author.type === "ai_agent")).toHaveLength(2);
    expect(items.at(-1)).toMatchObject({ kind: "note", author: { type: "system" }, body: expect.stringContaining("maximum number of answers") });
    // Handed off: the next message queues nothing.
    const later = await ingest("Hello?", "+15550001111");
    expect((await queued(engagement.id)).filter((j) => j.messageId === later.message.id)).toHaveLength(0);
    expect(fake.problems()).toEqual([]);
  });

  it("a handoff keyword or asking for a person hands off without asking the provider", async () => {
    const before = fake.requests().length;
    const a = await ingestAndRun("I want a Refund!", "+15550002222");
    expect(a.result).toEqual({ handedOff: "keyword" });
    const b = await ingestAndRun("Can I talk to a person please", "+15550003333");
    expect(b.result).toEqual({ handedOff: "asked for a person" });
    expect(fake.requests().length).toBe(before);
    expect((await thread(a.engagement.id)).at(-1)!.body).toContain("handoff keyword");
  });

  it("the model's handoff marker hands off instead of being posted", async () => {
    fake.answerNext("[HANDOFF]");
    const { engagement, result } = await ingestAndRun("Something odd happened with my invoice", "+15550004444");
    expect(result).toEqual({ handedOff: "model handed off" });
    expect((await thread(engagement.id)).some((m) => m.body.includes("[HANDOFF]"))).toBe(false);
  });

  it("provider failures are retried (the job throws), then handed off; a failure retrying cannot fix hands off at once", async () => {
    const { engagement, message } = await ingest("Hello there", "+15550005555");
    const [job] = await queued(engagement.id);
    fake.failNext(503, 2);
    await expect(runAiReply(deps(), job!, { retryCount: 0, retryLimit: 3 })).rejects.toThrow("HTTP 503");
    expect(await runAiReply(deps(), job!, { retryCount: 3, retryLimit: 3 })).toEqual({ handedOff: "provider error" });
    expect((await thread(engagement.id)).at(-1)!.body).toContain("the AI provider failed (The AI provider answered HTTP 503)");
    expect(message.engagementId).toBe(engagement.id);

    fake.failNext(401);
    const other = await ingestAndRun("Hi", "+15550006666");
    expect(other.result).toEqual({ handedOff: "provider error" });
  });

  it("a retried job answers once; a newer message is answered instead of an older one; a person's reply ends AI answers", async () => {
    const { engagement, message } = await ingest("First question", "+15550007777");
    const [job] = await queued(engagement.id);
    expect(await runAiReply(deps(), job!, first)).toMatchObject({ answered: true });
    expect(await runAiReply(deps(), job!, first)).toEqual({ skipped: "answered already" });

    const second = await ingest("Second", "+15550007777");
    const third = await ingest("Third", "+15550007777");
    const jobs = await queued(engagement.id);
    expect(await runAiReply(deps(), jobs.find((j) => j.messageId === second.message.id)!, first)).toEqual({ skipped: "a newer message is answered instead" });
    await acme.as(acme.agent).messages.send({ engagementId: engagement.id, body: "A person here: let me check." });
    expect(await runAiReply(deps(), jobs.find((j) => j.messageId === third.message.id)!, first)).toEqual({ skipped: "answered already" });
    expect(message.engagementId).toBe(engagement.id);
  });

  it("channels AI replies do not cover are routed at creation and queue nothing", async () => {
    const { engagement } = await acme.as(acme.agent).messages.ingest({ channel: "email", handle: "ann@example.com", body: "Hi", externalId: "mail-1" });
    expect(engagement.assignedUserId).toBe(acme.agent.id);
    expect(await queued(engagement.id)).toHaveLength(0);
    const created = await acme.as(acme.agent).engagements.create({ channel: "chat", customer: "web-visitor-1", message: "Hello from the site" });
    expect(created.assignedUserId).toBeNull();
    expect(await queued(created.id)).toHaveLength(1); // engagements.create's message is answered too
  });

  it("the answer and the handoff reach webhooks like any change: message.created (ai_agent) and engagement.updated", async () => {
    const dev = callerFor(t.app, { user: acme.admin, tenantSlug: "ai-acme", config: { allowHttpLocalhost: true } });
    await dev.webhooks.create({ url: "http://127.0.0.1:9/hooks", events: ["message.created", "engagement.updated"] });
    const { engagement } = await ingestAndRun("Webhook check", "+15550012121");
    await ingestAndRun("Let me talk to a human", "+15550012121");
    const events = await withScope(t.app, { tenantId: acme.tenant.id }, (tx) => tx.select().from(webhookEvents));
    const mine = events.filter((e) => (e.data as { engagementId?: string; id?: string }).engagementId === engagement.id || e.data.id === engagement.id);
    expect(mine.some((e) => e.type === "message.created" && (e.data as { author: { type: string } }).author.type === "ai_agent")).toBe(true);
    const updates = mine.filter((e) => e.type === "engagement.updated");
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.at(-1)!.data).toMatchObject({ id: engagement.id, assignedUserId: acme.agent.id }); // routed at the handoff
    // The team's note is never a webhook event.
    expect(mine.some((e) => e.type === "message.created" && String((e.data as { body?: string }).body).startsWith("AI agent handed"))).toBe(false);
    await dev.webhooks.list().then(({ items }) => Promise.all(items.map((w) => dev.webhooks.delete({ id: w.id }))));
  });

  it("a plan without chat agents stops AI replies: new conversations are routed to people and nothing is queued", async () => {
    const p = await createTenantWithRoles(t.app, "ai-plan", { tier: "pro" });
    const bot = await p.as(p.admin).agents.create({ name: "Bot", type: "chat", configuration });
    await p.as(p.admin).tenant.update({
      routing: { mode: "round_robin", maxOpenPerAgent: 10 },
      aiReplies: { enabled: true, channels: ["chat"], agentId: bot.id, handoffKeywords: [], maxTurns: 3 },
    });
    await p.as(p.agent).availability.set({ status: "online" });
    await setTenantPlan(t.app, p.tenant.id, { tier: "pro", features: { chatAgents: false } });
    const { engagement } = await p.as(p.agent).messages.ingest({ channel: "chat", handle: "v-1", body: "Hi", externalId: "plan-1" });
    expect(engagement.assignedUserId).toBe(p.agent.id);
    expect(await queued(engagement.id)).toHaveLength(0);
  });

  it("usage is recorded per call and shown in analytics.summary", async () => {
    const usage = await withScope(t.app, { tenantId: acme.tenant.id }, (tx) => tx.select().from(aiUsage).where(eq(aiUsage.agentId, agentId)));
    expect(usage.length).toBeGreaterThanOrEqual(4);
    const s = await acme.as(acme.viewer).analytics.summary({ from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() });
    expect(s.aiUsage).toEqual({ replies: usage.length, promptTokens: 42 * usage.length, completionTokens: 7 * usage.length });
  });
});

describe("integrations.ai (the tenant's own key)", () => {
  it("admins set and delete it; it is sealed, never returned, and only it reaches the tenant's baseUrl", async () => {
    const admin = acme.as(acme.admin);
    expect(await admin.integrations.ai.get()).toEqual({ configured: false, updatedAt: null });
    const set = await admin.integrations.ai.set({ apiKey: "sk-tenant-123" });
    expect(set).toEqual({ configured: true, updatedAt: expect.any(String) });
    expect(JSON.stringify(set)).not.toContain("sk-tenant-123");
    const [row] = await withScope(t.app, { tenantId: acme.tenant.id }, (tx) =>
      tx.select().from(integrations).where(and(eq(integrations.tenantId, acme.tenant.id), eq(integrations.provider, "ai"))),
    );
    expect(row!.secretCiphertext).not.toContain("sk-tenant-123");

    await ingestAndRun("Key check", "+15550008888");
    expect(fake.requests().at(-1)!.headers.authorization).toBe("Bearer sk-tenant-123");
    expect(await admin.integrations.ai.delete()).toEqual({ configured: false, updatedAt: null });
    await ingestAndRun("Key gone", "+15550009999");
    expect(fake.requests().at(-1)!.headers.authorization).toBeUndefined();
  });

  it("roles: agents and viewers cannot read or write it; an admin API key is FORBIDDEN on writes; bad input is BAD_REQUEST", async () => {
    for (const who of [acme.agent, acme.viewer]) {
      expect(await codeOf(acme.as(who).integrations.ai.get())).toBe("FORBIDDEN");
      expect(await codeOf(acme.as(who).integrations.ai.set({ apiKey: "sk-x" }))).toBe("FORBIDDEN");
      expect(await codeOf(acme.as(who).integrations.ai.delete())).toBe("FORBIDDEN");
    }
    const { key } = await createKeyFixture(t.app, acme.tenant.id, "admin");
    expect(await codeOf(asKey(t.app, key).integrations.ai.set({ apiKey: "sk-x" }))).toBe("FORBIDDEN");
    expect(await codeOf(asKey(t.app, key).integrations.ai.delete())).toBe("FORBIDDEN");
    const admin = acme.as(acme.admin);
    for (const apiKey of ["", "has space", "x".repeat(501), "tab\there", "nul\u0000"]) {
      expect(await codeOf(admin.integrations.ai.set({ apiKey })), JSON.stringify(apiKey)).toBe("BAD_REQUEST");
    }
    expect(await codeOf(admin.integrations.ai.set({ apiKey: "sk-1", extra: 1 } as never))).toBe("BAD_REQUEST");
  });
});

describe("the job runner", () => {
  let runner: JobRunner | null = null;
  afterAll(() => runner?.stop(5000));

  it("answers through the echo provider (pnpm start without a key), which says it is one, woken at the commit", async () => {
    const echoAgent = (await acme.as(acme.admin).agents.create({ name: "Echo Bot", type: "chat", configuration })).id;
    await acme.as(acme.admin).tenant.update({ aiReplies: { enabled: true, channels: ["chat"], agentId: echoAgent, handoffKeywords: [], maxTurns: 5 } });
    // Polling alone would take 30 s: the answer within 10 s proves the commit woke the worker (enqueue `wake`).
    runner = await startTestJobRunner(t);
    const { engagement } = await acme.as(acme.agent).messages.ingest({ channel: "chat", handle: "visitor-42", body: "Is anyone there?", externalId: "chat-echo-1" });
    const deadline = Date.now() + 10_000;
    let answer: Awaited<ReturnType<typeof thread>>[number] | undefined;
    while (!answer && Date.now() < deadline) {
      answer = (await thread(engagement.id)).find((m) => m.author.type === "ai_agent");
      if (!answer) await new Promise((r) => setTimeout(r, 200));
    }
    expect(answer).toMatchObject({ author: { name: "Echo Bot" }, body: expect.stringContaining("[Echo provider: a built-in stand-in, not an AI model]") });
  }, 30_000);
});

describe("the demo (pnpm start's first run)", () => {
  it("turns AI replies on for the tenant's first chat agent and leaves a web chat for it to answer", async () => {
    const demo = await createTenantWithRoles(t.app, "ai-demo", { tier: "pro" });
    expect(await seedAiRepliesDemo(t.app, "ai-demo")).toBe(false); // no chat agent: nothing changes
    const agent = await demo.as(demo.admin).agents.create({ name: "Demo Bot", type: "chat", configuration });
    expect(await seedAiRepliesDemo(t.app, "ai-demo")).toBe(true);
    expect((await demo.as(demo.viewer).tenant.current()).aiReplies).toMatchObject({ enabled: true, channels: ["chat"], agentId: agent.id });
    const [chat] = (await demo.as(demo.viewer).engagements.list({ channel: "chat" })).items;
    expect(await queued(chat!.id)).toHaveLength(1);
  });
});
