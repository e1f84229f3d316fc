import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calls, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { allPages, createTenantWithRoles } from "../../testing";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;
let agentId: string;
const configuration = { prompt: "Answer calls.", language: "en" };

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "calls-acme", { tier: "pro" });
  other = await createTenantWithRoles(t.app, "calls-other", { tier: "pro" });
  agentId = (await acme.as(acme.admin).agents.create({ name: "Voice", type: "voice", configuration })).id;
});
afterAll(() => t?.close());

const countRows = (tenantId: string) =>
  withScope(t.app, { tenantId }, async (tx) => (await tx.select({ id: calls.id }).from(calls)).length);

describe("calls", () => {
  it("creates, reads and updates a call; duration comes from the timestamps; get adds the transcript", async () => {
    const agent = acme.as(acme.agent);
    const created = await agent.calls.create({
      agentId,
      direction: "inbound",
      customerPhone: "+15551234567",
      status: "in_progress",
      startedAt: "2026-01-10T10:00:00Z",
    });
    expect(created).toEqual({
      id: expect.any(String),
      agentId,
      contactId: expect.any(String),
      direction: "inbound",
      customerPhone: "+15551234567",
      status: "in_progress",
      startedAt: "2026-01-10T10:00:00.000Z",
      endedAt: null,
      durationSeconds: null,
      outcome: null,
      sentiment: null,
      erased: false,
    });
    const updated = await agent.calls.update({
      id: created.id,
      status: "completed",
      endedAt: "2026-01-10T10:03:05Z",
      outcome: "Booked a demo",
      sentiment: "positive",
      transcript: "Hello… bye",
    });
    expect(updated).toMatchObject({ status: "completed", endedAt: "2026-01-10T10:03:05.000Z", durationSeconds: 185, outcome: "Booked a demo" });
    expect(updated).not.toHaveProperty("transcript");
    expect(await acme.as(acme.viewer).calls.get({ id: created.id })).toEqual({ ...updated, transcript: "Hello… bye" });
    const ended = await agent.calls.create({ direction: "outbound", customerPhone: "+15550000000" });
    expect(ended.status).toBe("queued");
    const missed = await agent.calls.update({ id: ended.id, status: "missed" });
    expect(missed.endedAt).not.toBeNull();
  });

  it("a call joins the contact of its phone number, whatever the format; another tenant's is another contact", async () => {
    const agent = acme.as(acme.agent);
    const first = await agent.calls.create({ direction: "inbound", customerPhone: "+1 (555) 000-4242" });
    const second = await agent.calls.create({ direction: "outbound", customerPhone: "+15550004242" });
    const elsewhere = await other.as(other.agent).calls.create({ direction: "inbound", customerPhone: "+15550004242" });
    expect(second.contactId).toBe(first.contactId);
    expect(elsewhere.contactId).not.toBe(first.contactId);
    const listed = (await agent.calls.list({ limit: 5 })).items.filter((c) => c.contactId === first.contactId);
    expect(listed.map((c) => c.id)).toEqual([second.id, first.id]);
    expect((await agent.calls.get({ id: first.id })).contactId).toBe(first.contactId);
  });

  it("filters by status, agent and started range, and paginates without duplicates or gaps", async () => {
    const p = await createTenantWithRoles(t.app, "calls-pages", { tier: "pro" });
    const voice = (await p.as(p.admin).agents.create({ name: "V", type: "voice", configuration })).id;
    const made: { id: string; startedAt: string }[] = [];
    for (let i = 0; i < 12; i++) {
      // Pairs share a start time: the id breaks ties, so pages never overlap or skip.
      const startedAt = new Date(Date.UTC(2026, 0, 1 + Math.floor(i / 2), 9)).toISOString();
      const c = await p.as(p.agent).calls.create({
        direction: i % 2 ? "outbound" : "inbound",
        customerPhone: `+1555000${String(i).padStart(4, "0")}`,
        startedAt,
        ...(i % 3 === 0 ? { agentId: voice } : {}),
        status: i % 4 === 0 ? "completed" : "queued",
      });
      made.push({ id: c.id, startedAt: c.startedAt });
    }
    const viewer = p.as(p.viewer);
    const { items, pages } = await allPages((cursor) => viewer.calls.list({ limit: 5, cursor }));
    expect(pages).toBe(3);
    expect(items).toHaveLength(12);
    expect(new Set(items.map((c) => c.id)).size).toBe(12);
    const sorted = [...items].sort((a, b) => (a.startedAt === b.startedAt ? (a.id < b.id ? 1 : -1) : a.startedAt < b.startedAt ? 1 : -1));
    expect(items.map((c) => c.id)).toEqual(sorted.map((c) => c.id));

    expect((await viewer.calls.list({ status: "completed" })).items).toHaveLength(3);
    expect((await viewer.calls.list({ agentId: voice })).items).toHaveLength(4);
    const ranged = await allPages((cursor) =>
      viewer.calls.list({ from: "2026-01-02T00:00:00Z", to: "2026-01-04T00:00:00Z", limit: 1, cursor }),
    );
    expect(ranged.items.map((c) => c.startedAt.slice(0, 10)).sort()).toEqual(["2026-01-02", "2026-01-02", "2026-01-03", "2026-01-03"]);
  });

  it("validates input", async () => {
    const agent = acme.as(acme.agent);
    await expect(agent.calls.create({ direction: "sideways" as never, customerPhone: "+1555" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.calls.create({ direction: "inbound", customerPhone: "call me" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.calls.create({ direction: "inbound", customerPhone: "+15551", startedAt: "yesterday" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    const c = await agent.calls.create({ direction: "inbound", customerPhone: "+15552223333", startedAt: "2026-02-01T12:00:00Z" });
    await expect(agent.calls.update({ id: c.id, outcome: "x".repeat(501) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.calls.update({ id: c.id, sentiment: "angry" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.calls.update({ id: c.id, endedAt: "2026-02-01T11:00:00Z" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.calls.list({ status: "done" as never })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(agent.calls.list({ cursor: Buffer.from('["x","y"]').toString("base64url") })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("viewers cannot write calls", async () => {
    const viewer = acme.as(acme.viewer);
    await expect(viewer.calls.create({ direction: "inbound", customerPhone: "+15551112222" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const c = await acme.as(acme.agent).calls.create({ direction: "inbound", customerPhone: "+15551112222" });
    await expect(viewer.calls.update({ id: c.id, status: "ringing" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await viewer.calls.get({ id: c.id })).status).toBe("queued");
  });

  it("another tenant's call or agent is NOT_FOUND and the call stays unchanged", async () => {
    const mine = await acme.as(acme.agent).calls.create({ direction: "inbound", customerPhone: "+15553334444" });
    const intruder = other.as(other.owner);
    await expect(intruder.calls.get({ id: mine.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.calls.update({ id: mine.id, status: "failed" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.calls.create({ agentId, direction: "inbound", customerPhone: "+15553334444" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await acme.as(acme.owner).calls.get({ id: mine.id })).toMatchObject({ status: "queued", endedAt: null });
  });

  it("maxConcurrentCalls: PRECONDITION_FAILED beyond the limit on create and update, also under concurrency", async () => {
    const f = await createTenantWithRoles(t.app, "calls-limit"); // free: 2 concurrent calls
    const agent = f.as(f.agent);
    const live = (phone: string) => agent.calls.create({ direction: "inbound", customerPhone: phone, status: "in_progress" });
    const one = await live("+15550000001");
    await live("+15550000002");
    await expect(live("+15550000003")).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    const queued = await agent.calls.create({ direction: "inbound", customerPhone: "+15550000004" });
    await expect(agent.calls.update({ id: queued.id, status: "in_progress" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await agent.calls.update({ id: one.id, status: "completed" });
    expect((await agent.calls.update({ id: queued.id, status: "in_progress" })).status).toBe("in_progress");

    const r = await createTenantWithRoles(t.app, "calls-race", { tier: "pro", features: { maxConcurrentCalls: 3 } });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        r.as(r.agent).calls.create({ direction: "inbound", customerPhone: `+1555100000${i}`, status: "in_progress" }),
      ),
    );
    expect(results.filter((x) => x.status === "fulfilled")).toHaveLength(3);
    expect((await r.as(r.viewer).calls.list({ status: "in_progress" })).items).toHaveLength(3);
  });

  it("idempotencyKey: a retry returns the first call; concurrent duplicates make one row; keys are per tenant", async () => {
    const i = await createTenantWithRoles(t.app, "calls-idem", { tier: "pro" });
    const agent = i.as(i.agent);
    const input = { direction: "inbound" as const, customerPhone: "+15557778888", idempotencyKey: "twilio-CA123" };
    const first = await agent.calls.create(input);
    const retry = await agent.calls.create({ ...input, status: "ringing" });
    expect(retry).toEqual(first);
    expect(await countRows(i.tenant.id)).toBe(1);

    const burst = await Promise.all(
      Array.from({ length: 6 }, () => agent.calls.create({ ...input, idempotencyKey: "twilio-CA456", status: "in_progress" })),
    );
    expect(new Set(burst.map((c) => c.id)).size).toBe(1);
    expect(await countRows(i.tenant.id)).toBe(2);

    const elsewhere = await other.as(other.agent).calls.create(input);
    expect(elsewhere.id).not.toBe(first.id);
  });
});
