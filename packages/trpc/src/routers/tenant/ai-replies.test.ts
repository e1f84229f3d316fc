import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { asKey, codeOf, createKeyFixture, createTenantWithRoles, setTenantPlan } from "../../testing";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;
const configuration = { prompt: "You answer chats for Acme.", language: "en", greeting: "Hello from Acme!" };
const setting = { enabled: true, channels: ["chat", "whatsapp"] as ("chat" | "whatsapp")[], handoffKeywords: ["refund"], maxTurns: 3 };

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "aireplies-acme", { tier: "pro" });
  other = await createTenantWithRoles(t.app, "aireplies-other", { tier: "pro" });
});
afterAll(() => t?.close());

describe("tenant.update aiReplies", () => {
  it("an admin turns AI replies on with a chat agent; tenant.current shows it; null turns them off", async () => {
    const agent = await acme.as(acme.admin).agents.create({ name: "Chatty", type: "chat", configuration });
    expect((await acme.as(acme.viewer).tenant.current()).aiReplies).toBeNull();
    const updated = await acme.as(acme.admin).tenant.update({ aiReplies: { ...setting, agentId: agent.id } });
    expect(updated.aiReplies).toEqual({ ...setting, agentId: agent.id });
    expect((await acme.as(acme.agent).tenant.current()).aiReplies).toEqual({ ...setting, agentId: agent.id });
    // Other updates keep it.
    expect((await acme.as(acme.admin).tenant.update({ name: "Acme AI" })).aiReplies).toEqual({ ...setting, agentId: agent.id });
    expect((await acme.as(acme.owner).tenant.update({ aiReplies: null })).aiReplies).toBeNull();
  });

  it("refuses a voice agent, a missing agent when on, another tenant's agent (NOT_FOUND) and bad values", async () => {
    const admin = acme.as(acme.admin);
    const voice = await admin.agents.create({ name: "Voicey", type: "voice", configuration });
    const theirs = await other.as(other.admin).agents.create({ name: "Theirs", type: "chat", configuration });
    expect(await codeOf(admin.tenant.update({ aiReplies: { ...setting, agentId: voice.id } }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.tenant.update({ aiReplies: { ...setting, agentId: null } }))).toBe("BAD_REQUEST");
    expect(await codeOf(admin.tenant.update({ aiReplies: { ...setting, agentId: theirs.id } }))).toBe("NOT_FOUND");
    const chat = await admin.agents.create({ name: "Chat", type: "chat", configuration });
    const bad: unknown[] = [
      { ...setting, agentId: chat.id, channels: ["pigeon"] },
      { ...setting, agentId: chat.id, channels: ["chat", "chat"] },
      { ...setting, agentId: chat.id, maxTurns: 0 },
      { ...setting, agentId: chat.id, maxTurns: 21 },
      { ...setting, agentId: chat.id, maxTurns: 2.5 },
      { ...setting, agentId: chat.id, handoffKeywords: Array.from({ length: 51 }, (_, i) => `k${i}`) },
      { ...setting, agentId: chat.id, handoffKeywords: ["x".repeat(101)] },
      { ...setting, agentId: chat.id, handoffKeywords: ["  "] },
      { ...setting, agentId: chat.id, handoffKeywords: ["a\nb"] },
      { ...setting, agentId: "not-a-uuid" },
      { ...setting, agentId: chat.id, extra: true },
      { enabled: true },
    ];
    for (const aiReplies of bad) expect(await codeOf(admin.tenant.update({ aiReplies } as never))).toBe("BAD_REQUEST");
    // Off with no agent is a valid stored setting (the screen can save before choosing).
    expect((await admin.tenant.update({ aiReplies: { ...setting, enabled: false, agentId: null } })).aiReplies).toMatchObject({ enabled: false });
  });

  it("agents and viewers cannot change it, nor can an admin API key; chat agents off in the plan is FORBIDDEN", async () => {
    const chat = await acme.as(acme.admin).agents.create({ name: "Chat2", type: "chat", configuration });
    const aiReplies = { ...setting, agentId: chat.id };
    expect(await codeOf(acme.as(acme.agent).tenant.update({ aiReplies }))).toBe("FORBIDDEN");
    expect(await codeOf(acme.as(acme.viewer).tenant.update({ aiReplies }))).toBe("FORBIDDEN");
    const { key } = await createKeyFixture(t.app, acme.tenant.id, "admin");
    expect(await codeOf(asKey(t.app, key).tenant.update({ aiReplies }))).toBe("FORBIDDEN");
    const c = await createTenantWithRoles(t.app, "aireplies-nochat", { tier: "pro" });
    const agent = await c.as(c.admin).agents.create({ name: "C", type: "chat", configuration });
    await setTenantPlan(t.app, c.tenant.id, { tier: "pro", features: { chatAgents: false } });
    expect(await codeOf(c.as(c.admin).tenant.update({ aiReplies: { ...setting, agentId: agent.id } }))).toBe("FORBIDDEN");
  });
});
