import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { contactHandles, engagementEvents, messages, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { allPages, asKey, createKeyFixture, createTenantWithRoles } from "../../testing";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "msg-acme");
  other = await createTenantWithRoles(t.app, "msg-other");
});
afterAll(() => t?.close());

/** A tenant's rows as its members would see them (RLS scope). */
const rowsOf = <T>(tenantId: string, read: Parameters<typeof withScope<T>>[2]) => withScope(t.app, { tenantId }, read);
const eventsOf = (tenantId: string, engagementId: string) =>
  rowsOf(tenantId, async (tx) =>
    (await tx.select().from(engagementEvents).where(eq(engagementEvents.engagementId, engagementId)).orderBy(engagementEvents.id)).map(
      (e) => e.type,
    ),
  );

describe("the thread", () => {
  it("starts with the customer's message; a reply is the first response once and opens the conversation; a note is neither", async () => {
    const agent = acme.as(acme.agent);
    const e = await agent.engagements.create({ channel: "email", customer: "Jo@Example.com", subject: "Refund", message: "I want my money back" });
    expect(e).toMatchObject({ customer: "jo@example.com", status: "new", firstResponseAt: null, lastMessageAt: e.createdAt });
    const [first] = (await acme.as(acme.viewer).messages.list({ engagementId: e.id })).items;
    expect(first).toEqual({
      id: expect.any(String),
      engagementId: e.id,
      kind: "inbound",
      author: { type: "customer", id: e.contactId, name: "jo@example.com" },
      body: "I want my money back",
      createdAt: e.createdAt,
      redacted: false,
      delivery: null,
    });

    const note = await agent.messages.note({ engagementId: e.id, body: "Order #42, paid by card" });
    expect(note).toMatchObject({ kind: "note", author: { type: "user", id: acme.agent.id, name: acme.agent.name } });
    const afterNote = await agent.engagements.get({ id: e.id });
    expect(afterNote).toMatchObject({ status: "new", firstResponseAt: null, lastMessageAt: note.createdAt });

    const reply = await agent.messages.send({ engagementId: e.id, body: "Refunded today." });
    expect(reply).toMatchObject({ kind: "outbound", body: "Refunded today.", author: { type: "user", id: acme.agent.id, name: acme.agent.name } });
    const answered = await agent.engagements.get({ id: e.id });
    expect(answered).toMatchObject({ status: "open", firstResponseAt: reply.createdAt, lastMessageAt: reply.createdAt });

    const again = await acme.as(acme.admin).messages.send({ engagementId: e.id, body: "Anything else?" });
    const later = await agent.engagements.get({ id: e.id });
    expect(later).toMatchObject({ status: "open", firstResponseAt: reply.createdAt, lastMessageAt: again.createdAt });
    expect(again.author).toEqual({ type: "user", id: acme.admin.id, name: acme.admin.name });

    const thread = (await acme.as(acme.viewer).messages.list({ engagementId: e.id })).items;
    expect(thread.map((m) => [m.kind, m.body])).toEqual([
      ["inbound", "I want my money back"],
      ["note", "Order #42, paid by card"],
      ["outbound", "Refunded today."],
      ["outbound", "Anything else?"],
    ]);
    // Every thread entry is a `message` event; the first reply also changed the conversation (new → open).
    expect(await eventsOf(acme.tenant.id, e.id)).toEqual(["created", "message", "message", "message", "updated", "message"]);
  });

  it("a reply to a resolved conversation keeps it resolved and its first response", async () => {
    const agent = acme.as(acme.agent);
    const e = await agent.engagements.create({ channel: "chat", customer: "visitor-9", message: "Hi" });
    const resolved = await agent.engagements.updateStatus({ id: e.id, status: "resolved" });
    await agent.messages.send({ engagementId: e.id, body: "Following up" });
    expect(await agent.engagements.get({ id: e.id })).toMatchObject({ status: "resolved", firstResponseAt: resolved.firstResponseAt });
  });

  it("lists oldest first, page by page, without gaps or duplicates", async () => {
    const agent = acme.as(acme.agent);
    const e = await agent.engagements.create({ channel: "chat", customer: "pages", message: "m0" });
    for (let i = 1; i <= 6; i++) {
      if (i % 2) await agent.messages.send({ engagementId: e.id, body: `m${i}` });
      else await agent.messages.note({ engagementId: e.id, body: `m${i}` });
    }
    const { items, pages } = await allPages((cursor) => acme.as(acme.viewer).messages.list({ engagementId: e.id, limit: 3, cursor }));
    expect(pages).toBe(3);
    expect(items.map((m) => m.body)).toEqual(["m0", "m1", "m2", "m3", "m4", "m5", "m6"]);
    const times = items.map((m) => m.createdAt);
    expect(times).toEqual([...times].sort());
    await expect(acme.as(acme.viewer).messages.list({ engagementId: e.id, cursor: "bm90LWEtY3Vyc29y" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("a message sent with an API key is a system entry named after the key", async () => {
    const key = await createKeyFixture(t.app, acme.tenant.id, "agent", "Zendesk bridge");
    const e = await acme.as(acme.agent).engagements.create({ channel: "chat", customer: "keyed", message: "Hi" });
    const sent = await asKey(t.app, key.key, "msg-acme").messages.send({ engagementId: e.id, body: "Auto-reply" });
    expect(sent.author).toEqual({ type: "system", id: null, name: "Zendesk bridge" });
    expect((await acme.as(acme.agent).engagements.get({ id: e.id })).status).toBe("open");
  });
});

describe("idempotency", () => {
  it("send: a retry with the same idempotencyKey returns the first message, also when concurrent; another conversation's key is CONFLICT", async () => {
    const agent = acme.as(acme.agent);
    const e = await agent.engagements.create({ channel: "chat", customer: "idem-send", message: "Hi" });
    const first = await agent.messages.send({ engagementId: e.id, body: "Hello", idempotencyKey: "send-1" });
    expect(await agent.messages.send({ engagementId: e.id, body: "Hello again", idempotencyKey: "send-1" })).toEqual(first);
    const burst = await Promise.all(Array.from({ length: 6 }, () => agent.messages.send({ engagementId: e.id, body: "Burst", idempotencyKey: "send-2" })));
    expect(new Set(burst.map((m) => m.id)).size).toBe(1);
    const stored = await rowsOf(acme.tenant.id, (tx) => tx.select().from(messages).where(eq(messages.engagementId, e.id)));
    expect(stored.map((m) => m.body).sort()).toEqual(["Burst", "Hello", "Hi"]);
    expect(await eventsOf(acme.tenant.id, e.id)).toEqual(["created", "message", "message", "updated", "message"]);

    const elsewhere = await agent.engagements.create({ channel: "chat", customer: "idem-send-2", message: "Hi" });
    await expect(agent.messages.send({ engagementId: elsewhere.id, body: "Hello", idempotencyKey: "send-1" })).rejects.toMatchObject({ code: "CONFLICT" });
    // Keys are per tenant: another tenant's same key is its own.
    const theirs = await other.as(other.agent).engagements.create({ channel: "chat", customer: "idem-send", message: "Hi" });
    const own = await other.as(other.agent).messages.send({ engagementId: theirs.id, body: "Hello", idempotencyKey: "send-1" });
    expect(own.id).not.toBe(first.id);
  });

  it("ingest: a redelivery (same externalId) returns the first message and engagement and writes nothing; concurrent ones store one", async () => {
    const agent = acme.as(acme.agent);
    const input = { channel: "whatsapp" as const, handle: "+1 (555) 010-2000", name: "Ana", body: "Hola", externalId: "wamid.1" };
    const first = await agent.messages.ingest(input);
    expect(first.engagement).toMatchObject({ channel: "whatsapp", customer: "+15550102000", status: "new" });
    expect(first.message).toMatchObject({ kind: "inbound", body: "Hola", author: { type: "customer", id: first.engagement.contactId, name: "Ana" } });
    const events = await eventsOf(acme.tenant.id, first.engagement.id);
    expect(await agent.messages.ingest({ ...input, body: "Hola (redelivered)" })).toEqual(first);
    expect(await eventsOf(acme.tenant.id, first.engagement.id)).toEqual(events);

    const burst = await Promise.all(
      Array.from({ length: 5 }, () => agent.messages.ingest({ ...input, handle: "+15550102000", body: "Otra", externalId: "wamid.2" })),
    );
    expect(new Set(burst.map((r) => r.message.id)).size).toBe(1);
    expect(burst.every((r) => r.engagement.id === first.engagement.id)).toBe(true);
    const stored = await rowsOf(acme.tenant.id, (tx) => tx.select().from(messages).where(eq(messages.engagementId, first.engagement.id)));
    expect(stored.map((m) => m.body)).toEqual(["Hola", "Otra"]);
  });
});

describe("messages.ingest", () => {
  it("appends to the contact's open conversation on the channel; resolved or another channel starts a new one (matched by normalised handle)", async () => {
    const agent = acme.as(acme.agent);
    const created = await agent.engagements.create({ channel: "email", customer: "Sam@Example.COM", subject: "Invoice", message: "Where is it?" });
    const appended = await agent.messages.ingest({ channel: "email", handle: "sam@example.com", body: "Any news?", externalId: "mail-1" });
    expect(appended.engagement.id).toBe(created.id);
    expect(appended.engagement.lastMessageAt).toBe(appended.message.createdAt);
    expect(appended.message.author).toEqual({ type: "customer", id: created.contactId, name: "sam@example.com" });

    // Same person on chat: the same contact only when the handle matches; a chat id is its own handle.
    const chat = await agent.messages.ingest({ channel: "chat", handle: "sam-chat", body: "Hi from chat", externalId: "chat-1", subject: "Chat" });
    expect(chat.engagement.id).not.toBe(created.id);
    expect(chat.engagement).toMatchObject({ subject: "Chat", status: "new" });

    await agent.engagements.updateStatus({ id: created.id, status: "resolved" });
    const fresh = await agent.messages.ingest({ channel: "email", handle: "SAM@example.com", body: "Me again", externalId: "mail-2", subject: "New question" });
    expect(fresh.engagement.id).not.toBe(created.id);
    expect(fresh.engagement).toMatchObject({ contactId: created.contactId, subject: "New question", status: "new", customer: "sam@example.com" });
    expect((await agent.messages.list({ engagementId: fresh.engagement.id })).items.map((m) => m.body)).toEqual(["Me again"]);
    const handles = await rowsOf(acme.tenant.id, (tx) => tx.select().from(contactHandles).where(eq(contactHandles.contactId, created.contactId!)));
    expect(handles.map((h) => [h.kind, h.value])).toEqual([["email", "sam@example.com"]]);
  });

  it("concurrent messages of a known customer without an open conversation start exactly one (the contact's row lock)", async () => {
    const agent = acme.as(acme.agent);
    const earlier = await agent.engagements.create({ channel: "facebook", customer: "fb:burst", message: "Old question" });
    await agent.engagements.updateStatus({ id: earlier.id, status: "resolved" });
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) => agent.messages.ingest({ channel: "facebook", handle: "fb:burst", body: `part ${i}`, externalId: `fb-burst-${i}` })),
    );
    expect(new Set(burst.map((r) => r.engagement.id)).size).toBe(1);
    expect(burst[0]!.engagement).toMatchObject({ contactId: earlier.contactId, status: "new" });
    expect(burst[0]!.engagement.id).not.toBe(earlier.id);
    const thread = (await agent.messages.list({ engagementId: burst[0]!.engagement.id })).items;
    expect(thread.map((m) => m.body).sort()).toEqual(["part 0", "part 1", "part 2", "part 3", "part 4", "part 5"]);
  });

  it("a long handle names its messages by its first 200 characters", async () => {
    const handle = `${"x".repeat(290)}@example.com`;
    const r = await acme.as(acme.agent).messages.ingest({ channel: "email", handle, body: "Hi", externalId: "long-1" });
    expect(r.engagement.customer).toBe(handle);
    expect(r.message.author.name).toBe(handle.slice(0, 200));
  });

  it("a customer's name names a new contact and their messages", async () => {
    const r = await acme.as(acme.agent).messages.ingest({ channel: "twitter", handle: "@Lee_K", name: "Lee Kim", body: "Hey", externalId: "tw-1" });
    expect(r.engagement.customer).toBe("@lee_k");
    expect(r.message.author.name).toBe("Lee Kim");
    const contact = await acme.as(acme.viewer).contacts.get({ id: r.engagement.contactId! });
    expect(contact.name).toBe("Lee Kim");
  });
});

describe("access", () => {
  it("viewers read threads; only agents and up write (API keys by role too)", async () => {
    const e = await acme.as(acme.agent).engagements.create({ channel: "chat", customer: "viewer-test", message: "Hi" });
    const viewer = acme.as(acme.viewer);
    expect((await viewer.messages.list({ engagementId: e.id })).items).toHaveLength(1);
    await expect(viewer.messages.send({ engagementId: e.id, body: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.messages.note({ engagementId: e.id, body: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(viewer.messages.ingest({ channel: "chat", handle: "viewer-test", body: "x", externalId: "v-1" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const key = await createKeyFixture(t.app, acme.tenant.id, "viewer");
    await expect(asKey(t.app, key.key, "msg-acme").messages.send({ engagementId: e.id, body: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect((await viewer.messages.list({ engagementId: e.id })).items).toHaveLength(1);
  });

  it("another tenant's conversation is NOT_FOUND for every procedure, and nothing is written", async () => {
    const e = await acme.as(acme.agent).engagements.create({ channel: "chat", customer: "private", message: "Secret words" });
    const intruder = other.as(other.owner);
    await expect(intruder.messages.list({ engagementId: e.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.messages.send({ engagementId: e.id, body: "Hi" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.messages.note({ engagementId: e.id, body: "Hi" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.messages.list({ engagementId: crypto.randomUUID() })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Ingesting the same handle from the other tenant starts its own conversation with its own contact.
    const theirs = await intruder.messages.ingest({ channel: "chat", handle: "private", body: "Hello", externalId: "x-1" });
    expect(theirs.engagement.id).not.toBe(e.id);
    expect(theirs.engagement.contactId).not.toBe(e.contactId);
    expect((await acme.as(acme.owner).messages.list({ engagementId: e.id })).items.map((m) => m.body)).toEqual(["Secret words"]);
    expect(await eventsOf(acme.tenant.id, e.id)).toEqual(["created", "message"]);
  });

  it("validates input", async () => {
    const agent = acme.as(acme.agent);
    const e = await agent.engagements.create({ channel: "chat", customer: "validate", message: "Hi" });
    const bad: (() => Promise<unknown>)[] = [
      () => agent.messages.send({ engagementId: e.id, body: "   " }),
      () => agent.messages.send({ engagementId: e.id, body: "x".repeat(20_001) }),
      () => agent.messages.send({ engagementId: "not-a-uuid", body: "x" }),
      () => agent.messages.send({ engagementId: e.id, body: "x", kind: "note" } as never),
      () => agent.messages.note({ engagementId: e.id, body: "" }),
      () => agent.messages.list({ engagementId: e.id, limit: 101 }),
      () => agent.messages.ingest({ channel: "fax" as never, handle: "x", body: "x", externalId: "e" }),
      () => agent.messages.ingest({ channel: "chat", handle: "x", body: "x", externalId: "" }),
      () => agent.messages.ingest({ channel: "twitter", handle: "@", body: "x", externalId: "only-at" }),
    ];
    for (const call of bad) await expect(call()).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
