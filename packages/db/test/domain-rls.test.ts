// The call-center tables' policies and composite keys, as the app role with no application code in between.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  agents,
  availability,
  calls,
  cannedResponses,
  contactHandles,
  contacts,
  dataExports,
  engagementEvents,
  engagementLabels,
  engagements,
  labels,
  leads,
  messages,
  tenants,
  users,
  withScope,
} from "../src/index";
import { createTestDatabase, rejectionCode, type TestDatabase } from "../src/testing/index";

const RLS_VIOLATION = "42501";
const FK_VIOLATION = "23503";

let t: TestDatabase;
const A = crypto.randomUUID();
const B = crypto.randomUUID();
const ids = { agentA: crypto.randomUUID(), agentB: crypto.randomUUID(), engA: crypto.randomUUID(), engB: crypto.randomUUID() };
/** Conversation rows (issue #13) per tenant. */
const conv = {
  [A]: { contact: crypto.randomUUID(), label: crypto.randomUUID(), message: crypto.randomUUID() },
  [B]: { contact: crypto.randomUUID(), label: crypto.randomUUID(), message: crypto.randomUUID() },
};
const userId = crypto.randomUUID();

async function seedTenant(id: string, slug: string, agentId: string, engagementId: string) {
  // Creating a tenant needs a signed-in user in scope (any id will do for the policy).
  await withScope(t.app, { tenantId: id, userId: crypto.randomUUID() }, (tx) => tx.insert(tenants).values({ id, slug, name: slug }));
  await withScope(t.app, { tenantId: id }, async (tx) => {
    await tx.insert(agents).values({ id: agentId, tenantId: id, name: "Bot", type: "chat", configuration: { prompt: "p", language: "en" } });
    await tx.insert(calls).values({ tenantId: id, agentId, direction: "inbound", customerPhone: "+15550000000" });
    await tx.insert(leads).values({ tenantId: id, name: "Lead" });
    const c = conv[id]!;
    await tx.insert(contacts).values({ tenantId: id, id: c.contact, name: "Ada", email: "ada@example.com" });
    await tx.insert(contactHandles).values({ tenantId: id, contactId: c.contact, kind: "email", value: "ada@example.com" });
    await tx.insert(engagements).values({ id: engagementId, tenantId: id, channel: "chat", customer: "c", contactId: c.contact });
    await tx.insert(messages).values({
      tenantId: id,
      id: c.message,
      engagementId,
      kind: "inbound",
      authorType: "customer",
      authorId: c.contact,
      authorName: "Ada",
      body: `only in ${slug}`,
    });
    await tx.insert(labels).values({ tenantId: id, id: c.label, name: "vip", color: "#aa0000" });
    await tx.insert(engagementLabels).values({ tenantId: id, engagementId, labelId: c.label });
    await tx.insert(cannedResponses).values({ tenantId: id, shortcut: "hello", title: "Hello", body: "Hello!" });
    await tx.insert(availability).values({ tenantId: id, userId, status: "online" });
    await tx.insert(engagementEvents).values({ tenantId: id, engagementId, type: "created" });
    await tx.insert(engagementEvents).values({ tenantId: id, engagementId, type: "message", messageId: c.message });
    await tx.insert(dataExports).values({ tenantId: id, kinds: ["calls"], format: "ndjson", requestedByLabel: slug, expiresAt: new Date(Date.now() + 86_400_000) });
  });
}

const tables = {
  agents,
  calls,
  leads,
  engagements,
  engagementEvents,
  contacts,
  contactHandles,
  messages,
  labels,
  engagementLabels,
  cannedResponses,
  availability,
  dataExports,
};

beforeAll(async () => {
  t = await createTestDatabase();
  await t.owner.db.insert(users).values({ id: userId, email: `${userId}@example.test`, name: "Agent", passwordHash: "x" });
  await seedTenant(A, "domain-a", ids.agentA, ids.engA);
  await seedTenant(B, "domain-b", ids.agentB, ids.engB);
});
afterAll(() => t?.close());

describe("call-center tables under row-level security", () => {
  it("every table shows zero rows without a scope, and only the tenant's rows inside one", async () => {
    for (const [name, table] of Object.entries(tables)) {
      const none = await withScope(t.app, {}, (tx) => tx.select().from(table));
      expect(none, name).toHaveLength(0);
      const inA = await withScope(t.app, { tenantId: A }, (tx) => tx.select().from(table));
      expect(inA.length, name).toBeGreaterThan(0);
      expect(new Set(inA.map((r) => r.tenantId)), name).toEqual(new Set([A]));
    }
  });

  it("rejects inserting rows into another tenant", async () => {
    const inA = <T>(fn: Parameters<typeof withScope<T>>[2]) => rejectionCode(withScope(t.app, { tenantId: A }, fn));
    expect(await inA((tx) => tx.insert(leads).values({ tenantId: B, name: "x" }))).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.insert(calls).values({ tenantId: B, direction: "inbound", customerPhone: "+1555000" }))).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.insert(engagements).values({ tenantId: B, channel: "chat", customer: "c" }))).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.insert(contacts).values({ tenantId: B, name: "x" }))).toBe(RLS_VIOLATION);
    expect(
      await inA((tx) => tx.insert(messages).values({ tenantId: B, engagementId: ids.engB, kind: "note", authorType: "system", authorName: "x", body: "x" })),
    ).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.insert(labels).values({ tenantId: B, name: "x", color: "#000000" }))).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.insert(cannedResponses).values({ tenantId: B, shortcut: "x", title: "x", body: "x" }))).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.insert(availability).values({ tenantId: B, userId, status: "away" }).onConflictDoNothing())).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.insert(engagementEvents).values({ tenantId: B, engagementId: ids.engB, type: "updated" }))).toBe(RLS_VIOLATION);
    expect(
      await inA((tx) => tx.insert(dataExports).values({ tenantId: B, kinds: ["calls"], format: "csv", requestedByLabel: "x", expiresAt: new Date() })),
    ).toBe(RLS_VIOLATION);
  });

  it("rejects moving rows into another tenant", async () => {
    const inA = <T>(fn: Parameters<typeof withScope<T>>[2]) => rejectionCode(withScope(t.app, { tenantId: A }, fn));
    expect(await inA((tx) => tx.update(leads).set({ tenantId: B }))).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.update(agents).set({ tenantId: B }))).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.update(engagements).set({ tenantId: B }))).toBe(RLS_VIOLATION);
  });

  it("cannot change or delete another tenant's rows (they are invisible)", async () => {
    const changed = await withScope(t.app, { tenantId: A }, async (tx) => ({
      agents: await tx.delete(agents).where(sql`${agents.id} = ${ids.agentB}`).returning(),
      engagements: await tx.update(engagements).set({ status: "resolved" }).where(sql`${engagements.id} = ${ids.engB}`).returning(),
    }));
    expect(changed).toEqual({ agents: [], engagements: [] });
    const b = await withScope(t.app, { tenantId: B }, (tx) => tx.select().from(engagements));
    expect(b[0]?.status).toBe("new");
  });

  it("composite foreign keys refuse a reference to another tenant's row", async () => {
    // A call of tenant A naming B's agent, an event of A naming B's engagement: the ids exist, but not in A.
    const inA = <T>(fn: Parameters<typeof withScope<T>>[2]) => rejectionCode(withScope(t.app, { tenantId: A }, fn));
    expect(
      await inA((tx) => tx.insert(calls).values({ tenantId: A, agentId: ids.agentB, direction: "inbound", customerPhone: "+15550000" })),
    ).toBe(FK_VIOLATION);
    expect(await inA((tx) => tx.insert(engagementEvents).values({ tenantId: A, engagementId: ids.engB, type: "updated" }))).toBe(FK_VIOLATION);
    expect(await inA((tx) => tx.update(calls).set({ agentId: ids.agentB }))).toBe(FK_VIOLATION);
    // The conversation tables: a thread, a label, a handle or a link naming B's rows from A.
    const b = conv[B]!;
    expect(
      await inA((tx) => tx.insert(messages).values({ tenantId: A, engagementId: ids.engB, kind: "note", authorType: "system", authorName: "x", body: "x" })),
    ).toBe(FK_VIOLATION);
    expect(await inA((tx) => tx.insert(engagementLabels).values({ tenantId: A, engagementId: ids.engA, labelId: b.label }))).toBe(FK_VIOLATION);
    expect(await inA((tx) => tx.insert(contactHandles).values({ tenantId: A, contactId: b.contact, kind: "chat", value: "x" }))).toBe(FK_VIOLATION);
    expect(await inA((tx) => tx.update(engagements).set({ contactId: b.contact }))).toBe(FK_VIOLATION);
    expect(await inA((tx) => tx.update(leads).set({ contactId: b.contact }))).toBe(FK_VIOLATION);
    expect(await inA((tx) => tx.insert(engagementEvents).values({ tenantId: A, engagementId: ids.engA, type: "message", messageId: b.message }))).toBe(FK_VIOLATION);
  });

  it("full-text search inside a scope finds only the tenant's own words", async () => {
    const search = (tenantId: string, words: string) =>
      withScope(t.app, { tenantId }, (tx) =>
        tx.select({ id: messages.id }).from(messages).where(sql`${messages.search} @@ websearch_to_tsquery('simple', ${words})`),
      );
    expect(await search(A, "domain-a")).toEqual([{ id: conv[A]!.message }]);
    expect(await search(B, "domain-a")).toEqual([]);
    expect(await search(A, "only")).toEqual([{ id: conv[A]!.message }]);
  });

  it("checks values: CSAT 1..5, outcome length, calls cannot end before they start; duration is derived", async () => {
    const inA = <T>(fn: Parameters<typeof withScope<T>>[2]) => rejectionCode(withScope(t.app, { tenantId: A }, fn));
    expect(await inA((tx) => tx.update(engagements).set({ csat: 6 }))).toBe("23514");
    expect(await inA((tx) => tx.update(calls).set({ outcome: "x".repeat(501) }))).toBe("23514");
    expect(await inA((tx) => tx.update(calls).set({ endedAt: new Date("2000-01-01") }))).toBe("23514");
    const [row] = await withScope(t.app, { tenantId: A }, (tx) =>
      tx
        .update(calls)
        .set({ startedAt: new Date("2026-01-01T00:00:00Z"), endedAt: new Date("2026-01-01T00:01:30.4Z") })
        .returning({ d: calls.durationSeconds }),
    );
    expect(row?.d).toBe(90);
  });
});

describe.runIf(process.env.SB_TEST_DATABASE_URL)("grants for the app role", () => {
  it("cannot delete calls, engagements, events or messages, nor update events", async () => {
    const inA = <T>(fn: Parameters<typeof withScope<T>>[2]) => rejectionCode(withScope(t.app, { tenantId: A }, fn));
    expect(await inA((tx) => tx.delete(messages))).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.delete(availability))).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.delete(calls))).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.delete(engagements))).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.delete(engagementEvents))).toBe(RLS_VIOLATION);
    expect(await inA((tx) => tx.update(engagementEvents).set({ type: "updated" }))).toBe(RLS_VIOLATION);
  });
});
