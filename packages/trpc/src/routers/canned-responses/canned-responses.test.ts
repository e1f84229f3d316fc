import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { allPages, createTenantWithRoles } from "../../testing";

let t: TestDatabase;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await createTenantWithRoles(t.app, "canned-acme");
  other = await createTenantWithRoles(t.app, "canned-other");
});
afterAll(() => t?.close());

describe("cannedResponses", () => {
  it("admins create, update and delete; everyone reads, by shortcut", async () => {
    const admin = acme.as(acme.admin);
    const thanks = await admin.cannedResponses.create({ shortcut: " Thanks ", title: "Thank you", body: "Thanks for reaching out!\nKind regards" });
    expect(thanks).toEqual({
      id: expect.any(String),
      shortcut: "thanks",
      title: "Thank you",
      body: "Thanks for reaching out!\nKind regards",
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const refund = await admin.cannedResponses.create({ shortcut: "refund", title: "Refund", body: "Your refund is on its way." });
    const hello = await admin.cannedResponses.create({ shortcut: "hello", title: "Greeting", body: "Hi there" });
    expect((await acme.as(acme.viewer).cannedResponses.list()).items.map((c) => c.shortcut)).toEqual(["hello", "refund", "thanks"]);
    const edited = await admin.cannedResponses.update({ id: refund.id, shortcut: "refund-2", body: "Refunded." });
    expect(edited).toMatchObject({ id: refund.id, shortcut: "refund-2", title: "Refund", body: "Refunded." });
    expect(await admin.cannedResponses.update({ id: hello.id })).toEqual(hello);
    expect(await admin.cannedResponses.delete({ id: thanks.id })).toEqual({ ok: true, id: thanks.id });
    expect((await acme.as(acme.agent).cannedResponses.list()).items.map((c) => c.id)).toEqual([hello.id, refund.id]);
    await expect(admin.cannedResponses.delete({ id: thanks.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("pages by shortcut without duplicates or gaps", async () => {
    const p = await createTenantWithRoles(t.app, "canned-pages");
    for (const s of ["e", "a", "d", "c", "b"]) await p.as(p.admin).cannedResponses.create({ shortcut: s, title: s, body: s });
    const { items, pages } = await allPages((cursor) => p.as(p.viewer).cannedResponses.list({ limit: 2, cursor }));
    expect(pages).toBe(3);
    expect(items.map((c) => c.shortcut)).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("a taken shortcut is CONFLICT on create and update; other tenants may use it", async () => {
    const admin = acme.as(acme.admin);
    await admin.cannedResponses.create({ shortcut: "bye", title: "Bye", body: "Goodbye" });
    const other1 = await admin.cannedResponses.create({ shortcut: "later", title: "Later", body: "Talk later" });
    await expect(admin.cannedResponses.create({ shortcut: "BYE", title: "Again", body: "Again" })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(admin.cannedResponses.update({ id: other1.id, shortcut: "bye" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await admin.cannedResponses.list()).items.filter((c) => c.shortcut === "bye").map((c) => c.title)).toEqual(["Bye"]);
    expect(await other.as(other.admin).cannedResponses.create({ shortcut: "bye", title: "Bye", body: "Ciao" })).toMatchObject({ shortcut: "bye" });
  });

  it("validates input", async () => {
    const admin = acme.as(acme.admin);
    for (const shortcut of ["", "-dash", "has space", "x".repeat(33), "/slash", "émoji"]) {
      await expect(admin.cannedResponses.create({ shortcut, title: "T", body: "B" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    await expect(admin.cannedResponses.create({ shortcut: "ok", title: "", body: "B" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.cannedResponses.create({ shortcut: "ok", title: "T", body: " " })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.cannedResponses.create({ shortcut: "ok", title: "T", body: "x".repeat(5001) })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.cannedResponses.create({ shortcut: "ok", title: "T", body: "bell\u0007" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(admin.cannedResponses.create({ shortcut: "ok", title: "T", body: "B", extra: 1 } as never)).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("agents and viewers cannot write canned responses", async () => {
    const c = await acme.as(acme.admin).cannedResponses.create({ shortcut: "kept", title: "Kept", body: "Kept" });
    for (const who of [acme.agent, acme.viewer]) {
      const caller = acme.as(who);
      await expect(caller.cannedResponses.create({ shortcut: "no", title: "No", body: "No" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.cannedResponses.update({ id: c.id, body: "No" })).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(caller.cannedResponses.delete({ id: c.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
  });

  it("another tenant's canned response is NOT_FOUND, never listed, and stays unchanged", async () => {
    const c = await acme.as(acme.admin).cannedResponses.create({ shortcut: "secret", title: "Secret", body: "Internal" });
    const intruder = other.as(other.owner);
    await expect(intruder.cannedResponses.update({ id: c.id, body: "Mine" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(intruder.cannedResponses.delete({ id: c.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await intruder.cannedResponses.list()).items.map((x) => x.id)).not.toContain(c.id);
    expect((await acme.as(acme.viewer).cannedResponses.list()).items.find((x) => x.id === c.id)).toEqual(c);
  });
});
