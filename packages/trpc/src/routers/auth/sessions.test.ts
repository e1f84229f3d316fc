// auth.sessions, revokeSession, signOutEverywhere and the security log, through createCaller on a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cookie, hashToken } from "@switchboard/auth";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { allPages, asUser, callerFor, codeOf, createUser, testAuth } from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

describe("sessions", () => {
  it("lists live sessions under ids that are not their lookup keys, marking the current one", async () => {
    const user = await createUser(t.app, "Lister");
    const auth = testAuth(t.app);
    const phone = await auth.createSession(user.id, { ip: "192.0.2.7", userAgent: "Phone/1.0" });
    const { items, nextCursor } = await asUser(t.app, user).auth.sessions();
    expect(nextCursor).toBeNull();
    expect(items).toHaveLength(2);
    const current = items.find((s) => s.current)!;
    const other = items.find((s) => !s.current)!;
    expect(other).toMatchObject({ ip: "192.0.2.7", userAgent: "Phone/1.0", current: false });
    expect(new Date(other.createdAt).getTime()).toBeLessThanOrEqual(Date.now());
    expect(new Date(other.lastSeenAt).getTime()).toBeLessThanOrEqual(Date.now());
    for (const s of items) {
      expect(s.id).toMatch(/^[0-9a-f]{32}$/);
      for (const secret of [user.sessionId, user.token, phone.sessionId, phone.token]) expect(secret).not.toContain(s.id);
    }
    expect(current.id).not.toBe(hashToken(user.token).slice(0, 32));
  });

  it("pages with the contract's list shape", async () => {
    const user = await createUser(t.app, "Pager");
    const auth = testAuth(t.app);
    for (let i = 0; i < 4; i++) await auth.createSession(user.id);
    const { items, pages } = await allPages((cursor) => asUser(t.app, user).auth.sessions({ limit: 2, cursor }));
    expect(pages).toBe(3);
    expect(new Set(items.map((s) => s.id)).size).toBe(5);
    expect(await codeOf(asUser(t.app, user).auth.sessions({ limit: 2, cursor: "garbage" }))).toBe("BAD_REQUEST");
  });

  it("revokes one session by its shown id; another account's id is NOT_FOUND", async () => {
    const user = await createUser(t.app, "Revoker");
    const stranger = await createUser(t.app, "Stranger");
    const auth = testAuth(t.app);
    const laptop = await auth.createSession(user.id, { userAgent: "Laptop" });
    const c = asUser(t.app, user);
    const target = (await c.auth.sessions()).items.find((s) => s.userAgent === "Laptop")!;
    expect(await codeOf(asUser(t.app, stranger).auth.revokeSession({ id: target.id }))).toBe("NOT_FOUND");
    expect(await auth.validate(laptop.token)).not.toBeNull();
    expect(await c.auth.revokeSession({ id: target.id })).toEqual({ ok: true });
    expect(await auth.validate(laptop.token)).toBeNull();
    expect(await auth.validate(user.token)).not.toBeNull();
    expect(await codeOf(c.auth.revokeSession({ id: target.id }))).toBe("NOT_FOUND");
    expect(await codeOf(c.auth.revokeSession({ id: "not-hex" }))).toBe("BAD_REQUEST");
    // Revoking the current session signs out (blank cookie).
    const cookies: Cookie[] = [];
    const self = (await c.auth.sessions()).items.find((s) => s.current)!;
    await callerFor(t.app, { user, sessionId: user.sessionId, cookies }).auth.revokeSession({ id: self.id });
    expect(cookies[0]?.value).toBe("");
    expect(await auth.validate(user.token)).toBeNull();
  });

  it("signs out everywhere else, keeping this session", async () => {
    const user = await createUser(t.app, "Everywhere");
    const auth = testAuth(t.app);
    const others = [await auth.createSession(user.id), await auth.createSession(user.id)];
    expect(await asUser(t.app, user).auth.signOutEverywhere()).toEqual({ ok: true });
    for (const o of others) expect(await auth.validate(o.token)).toBeNull();
    expect(await auth.validate(user.token)).not.toBeNull();
    expect((await asUser(t.app, user).auth.sessions()).items).toHaveLength(1);
  });
});

describe("security log", () => {
  it("records sign-ins, failures, password changes and revocations with where they came from, newest first, paged", async () => {
    const user = await createUser(t.app, "Logged");
    const login = (password: string) =>
      callerFor(t.app, { ip: "198.51.100.9", userAgent: "Firefox/140" }).auth.login({ email: user.email, password });
    await login("correct horse battery");
    await codeOf(login("not my password"));
    await asUser(t.app, user).auth.changePassword({ currentPassword: "correct horse battery", newPassword: "a newer long password" });
    const session = await testAuth(t.app).createSession(user.id);
    const c = asUser(t.app, { ...user, sessionId: session.sessionId });
    await c.auth.signOutEverywhere();
    await asUser(t.app, { ...user, sessionId: (await testAuth(t.app).createSession(user.id)).sessionId }).auth.logout();
    const { items } = await allPages((cursor) => c.auth.securityLog({ limit: 2, cursor }));
    expect(items.map((e) => e.event)).toEqual(["signed_out", "signed_out_everywhere", "password_changed", "sign_in_failed", "signed_in"]);
    expect(items[3]).toMatchObject({ ip: "198.51.100.9", userAgent: "Firefox/140" });
    for (const e of items) expect(Number.isNaN(Date.parse(e.at))).toBe(false);
    // Only one's own log.
    const other = await createUser(t.app, "OtherLog");
    expect((await asUser(t.app, other).auth.securityLog()).items).toEqual([]);
    expect(await codeOf(callerFor(t.app).auth.securityLog())).toBe("UNAUTHORIZED");
  });
});
