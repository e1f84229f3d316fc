import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withScope, calls } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { allPages, callerFor, codeOf, createTenantWithRoles, setTenantPlan } from "../../testing";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;
const configuration = { prompt: "You answer calls for Acme.", language: "en-US", voice: "alloy", greeting: "Hi!" };

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "agents-acme", { tier: "pro" });
  other = await createTenantWithRoles(t.app, "agents-other", { tier: "pro" });
});
afterAll(() => t?.close());

describe("agents", () => {
  it("admins create, get, update and delete; everyone reads; the shape is the same everywhere", async () => {
    const created = await acme.as(acme.admin).agents.create({ name: "Receptionist", type: "voice", configuration });
    expect(created).toEqual({
      id: expect.any(String),
      name: "Receptionist",
      type: "voice",
      configuration,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      updatedAt: expect.any(String),
    });
    expect(await acme.as(acme.viewer).agents.get({ id: created.id })).toEqual(created);
    const { items } = await acme.as(acme.agent).agents.list();
    expect(items).toContainEqual(created);
    const updated = await acme.as(acme.owner).agents.update({ id: created.id, name: "Front desk" });
    expect(updated).toMatchObject({ id: created.id, name: "Front desk", configuration });
    expect(await acme.as(acme.admin).agents.delete({ id: created.id })).toEqual({ ok: true, id: created.id });
    await expect(acme.as(acme.viewer).agents.get({ id: created.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("agents and viewers cannot manage AI agents", async () => {
    const input = { name: "Nope", type: "chat" as const, configuration };
    await expect(acme.as(acme.agent).agents.create(input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(acme.as(acme.viewer).agents.create(input)).rejects.toMatchObject({ code: "FORBIDDEN" });
    const a = await acme.as(acme.admin).agents.create({ ...input, name: "Kept" });
    await expect(acme.as(acme.agent).agents.update({ id: a.id, name: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(acme.as(acme.agent).agents.delete({ id: a.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await acme.as(acme.viewer).agents.get({ id: a.id })).name).toBe("Kept");
    await acme.as(acme.admin).agents.delete({ id: a.id });
  });

  it("validates input: unknown keys, missing fields, a bad language tag, a bad cursor", async () => {
    const admin = acme.as(acme.admin);
    await expect(admin.agents.create({ name: "X", type: "chat", configuration: { prompt: "p" } } as never)).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("language"),
    });
    await expect(admin.agents.create({ name: "X", type: "chat", configuration, extra: 1 } as never)).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      admin.agents.create({ name: "X", type: "chat", configuration: { ...configuration, language: "English!" } }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.agents.create({ name: "X", type: "robot" as never, configuration })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.agents.list({ cursor: "not-a-cursor" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.agents.list({ limit: 101 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("paginates newest first across pages without duplicates or gaps", async () => {
    const p = await createTenantWithRoles(t.app, "agents-pages", { tier: "pro" });
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await p.as(p.admin).agents.create({ name: `A${i}`, type: "chat", configuration })).id);
    const { items, pages } = await allPages((cursor) => p.as(p.viewer).agents.list({ limit: 3, cursor }));
    expect(pages).toBe(3);
    expect(items.map((a) => a.id)).toEqual([...ids].reverse());
  });

  it("maxAgents: PRECONDITION_FAILED beyond the limit, also under concurrent creates", async () => {
    const f = await createTenantWithRoles(t.app, "agents-free"); // free tier: 2 agents, chat only
    await f.as(f.admin).agents.create({ name: "One", type: "chat", configuration });
    await f.as(f.admin).agents.create({ name: "Two", type: "chat", configuration });
    await expect(f.as(f.admin).agents.create({ name: "Three", type: "chat", configuration })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });

    const c = await createTenantWithRoles(t.app, "agents-race", { tier: "pro", features: { maxAgents: 3 } });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => c.as(c.admin).agents.create({ name: `R${i}`, type: "chat", configuration })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "PRECONDITION_FAILED" });
    }
    expect((await c.as(c.viewer).agents.list()).items).toHaveLength(3);
  });

  it("a disabled agent type is FORBIDDEN (free tier has no voice agents; toggles inherit)", async () => {
    const f = await createTenantWithRoles(t.app, "agents-novoice");
    await expect(f.as(f.admin).agents.create({ name: "V", type: "voice", configuration })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const chat = await f.as(f.admin).agents.create({ name: "C", type: "chat", configuration });
    await expect(f.as(f.admin).agents.update({ id: chat.id, type: "voice" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await setTenantPlan(t.app, f.tenant.id, { features: { voiceAgents: true, chatAgents: false } });
    expect((await f.as(f.admin).agents.create({ name: "V", type: "voice", configuration })).type).toBe("voice");
    await expect(f.as(f.admin).agents.create({ name: "C2", type: "chat", configuration })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("another tenant's agent is NOT_FOUND for every procedure and stays unchanged", async () => {
    const mine = await acme.as(acme.admin).agents.create({ name: "Mine", type: "chat", configuration });
    const intruder = other.as(other.owner);
    await expect(intruder.agents.get({ id: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.agents.update({ id: mine.id, name: "Stolen" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.agents.delete({ id: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await intruder.agents.list()).items.map((a) => a.id)).not.toContain(mine.id);
    expect(await acme.as(acme.owner).agents.get({ id: mine.id })).toEqual(mine);
  });

  it("deleting an agent keeps its calls, without the agent", async () => {
    const a = await acme.as(acme.admin).agents.create({ name: "Gone", type: "voice", configuration });
    const call = await acme.as(acme.agent).calls.create({ agentId: a.id, direction: "inbound", customerPhone: "+15551230000" });
    await acme.as(acme.admin).agents.delete({ id: a.id });
    expect((await acme.as(acme.viewer).calls.get({ id: call.id })).agentId).toBeNull();
    const rows = await withScope(t.app, { tenantId: acme.tenant.id }, (tx) => tx.select().from(calls));
    expect(rows.map((r) => r.id)).toContain(call.id);
  });

  it("a chat agent's provider: model and baseUrl (trailing slash dropped); the webhook address rules apply to baseUrl", async () => {
    const admin = acme.as(acme.admin);
    const provider = { model: "meta-llama/Llama-3.1-8B-Instruct", baseUrl: "https://8.8.8.8/v1/" };
    const a = await admin.agents.create({ name: "Llama", type: "chat", configuration: { ...configuration, provider } });
    expect(a.configuration.provider).toEqual({ model: provider.model, baseUrl: "https://8.8.8.8/v1" });
    const plain = await admin.agents.update({ id: a.id, configuration: { ...configuration, provider: { model: "llama3.2:3b" } } });
    expect(plain.configuration.provider).toEqual({ model: "llama3.2:3b" });
    const refused = [
      "http://8.8.8.8/v1", // https only
      "http://127.0.0.1:11434/v1", // loopback (development may allow it, see below)
      "https://127.0.0.1/v1",
      "https://169.254.169.254/latest", // metadata
      "https://[::ffff:127.0.0.1]/v1", // IPv4-mapped loopback
      "https://[fd00:ec2::254]/", // IPv6 metadata
      "https://10.1.2.3/v1",
      "https://100.64.0.1/v1", // CGNAT
      "https://user:pass@8.8.8.8/v1", // credentials
      "https://8.8.8.8/v1?key=1",
      "ftp://8.8.8.8/v1",
      "not a url",
    ];
    for (const baseUrl of refused) {
      const code = await codeOf(admin.agents.create({ name: "Bad", type: "chat", configuration: { ...configuration, provider: { model: "m", baseUrl } } }));
      expect(code, baseUrl).toBe("BAD_REQUEST");
      expect(await codeOf(admin.agents.update({ id: a.id, configuration: { ...configuration, provider: { model: "m", baseUrl } } })), baseUrl).toBe("BAD_REQUEST");
    }
    for (const model of ["", "bad model", "x".repeat(201), "-starts-with-dash"]) {
      expect(await codeOf(admin.agents.create({ name: "Bad", type: "chat", configuration: { ...configuration, provider: { model } } })), model).toBe("BAD_REQUEST");
    }
    expect(await codeOf(admin.agents.create({ name: "Bad", type: "chat", configuration: { ...configuration, provider: { model: "m", extra: 1 } } } as never))).toBe("BAD_REQUEST");
    // WEBHOOKS_ALLOW_HTTP_LOCALHOST (development, tests): a local Ollama or vLLM.
    const dev = callerFor(t.app, { user: acme.admin, tenantSlug: "agents-acme", config: { allowHttpLocalhost: true } });
    const local = await dev.agents.create({ name: "Local", type: "chat", configuration: { ...configuration, provider: { model: "llama3.2", baseUrl: "http://127.0.0.1:11434/v1" } } });
    expect(local.configuration.provider?.baseUrl).toBe("http://127.0.0.1:11434/v1");
    expect(await codeOf(dev.agents.create({ name: "Bad", type: "chat", configuration: { ...configuration, provider: { model: "m", baseUrl: "http://10.0.0.1/v1" } } }))).toBe("BAD_REQUEST");
  });

  it("the agent answering AI replies cannot be deleted or turned into a voice agent", async () => {
    const admin = acme.as(acme.admin);
    const a = await admin.agents.create({ name: "Answers", type: "chat", configuration });
    await admin.tenant.update({ aiReplies: { enabled: true, channels: ["chat"], agentId: a.id, handoffKeywords: [], maxTurns: 5 } });
    expect(await codeOf(admin.agents.delete({ id: a.id }))).toBe("PRECONDITION_FAILED");
    expect(await codeOf(admin.agents.update({ id: a.id, type: "voice" }))).toBe("PRECONDITION_FAILED");
    await admin.tenant.update({ aiReplies: null });
    expect(await admin.agents.delete({ id: a.id })).toEqual({ ok: true, id: a.id });
  });
});
