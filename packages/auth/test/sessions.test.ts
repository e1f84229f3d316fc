// Session policy with a controllable clock, on a real test database.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sessions, users, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { eq } from "drizzle-orm";
import { createAuth, hashPassword, hashToken, verifyPassword } from "../src/index";

let t: TestDatabase;
let userId: string;
const config = { idleTimeoutSeconds: 1800, absoluteLifetimeSeconds: 12 * 3600, secureCookies: false, encryptionKeys: [randomBytes(32)] };

beforeAll(async () => {
  t = await createTestDatabase();
  [{ id: userId }] = (await withScope(t.app, {}, (tx) =>
    tx.insert(users).values({ email: "s@example.test", name: "S", passwordHash: "x" }).returning({ id: users.id }),
  )) as [{ id: string }];
});
afterAll(() => t?.close());
afterEach(() => vi.useRealTimers());

describe("sessions", () => {
  it("stores only the token's hash and uses 256-bit tokens", async () => {
    const auth = createAuth(t.app.db, config);
    const { token, sessionId } = await auth.createSession(userId);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    expect(sessionId).toBe(hashToken(token));
    expect(sessionId).not.toContain(token);
    expect((await auth.validate(token))?.user.id).toBe(userId);
    expect(await auth.validate(sessionId)).toBeNull(); // the stored value is not a usable token
  });

  it("expires after the idle timeout and slides while in use", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const auth = createAuth(t.app.db, config);
    const { token } = await auth.createSession(userId);
    vi.advanceTimersByTime(20 * 60_000); // 20 min: still valid, and past half the window → extended
    expect(await auth.validate(token)).not.toBeNull();
    vi.advanceTimersByTime(20 * 60_000); // 40 min after start, 20 after last use
    expect(await auth.validate(token)).not.toBeNull();
    vi.advanceTimersByTime(31 * 60_000); // idle for 31 min
    expect(await auth.validate(token)).toBeNull();
  });

  it("ends at the absolute lifetime even while active", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const auth = createAuth(t.app.db, { ...config, absoluteLifetimeSeconds: 3600 });
    const { token } = await auth.createSession(userId);
    for (let i = 0; i < 3; i++) {
      vi.advanceTimersByTime(20 * 60_000);
      expect(await auth.validate(token)).not.toBeNull();
    }
    vi.advanceTimersByTime(5 * 60_000); // 65 min after sign-in
    expect(await auth.validate(token)).toBeNull();
  });

  it("notes lastSeenAt when the session is extended, not on every request", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const auth = createAuth(t.app.db, config);
    const { token, sessionId } = await auth.createSession(userId);
    const seen = async () => (await t.owner.db.select().from(sessions).where(eq(sessions.id, sessionId)))[0]!.lastSeenAt.getTime();
    const first = await seen();
    vi.advanceTimersByTime(5 * 60_000); // first half of the idle window: no write
    await auth.validate(token);
    expect(await seen()).toBe(first);
    vi.advanceTimersByTime(15 * 60_000); // second half: lucia extends, lastSeenAt moves with it
    await auth.validate(token);
    expect(await seen()).toBeGreaterThanOrEqual(first + 20 * 60_000);
  });

  it("ends every session of a user, cached ones included", async () => {
    const auth = createAuth(t.app.db, { ...config, cacheSeconds: 60 });
    const a = await auth.createSession(userId);
    const b = await auth.createSession(userId);
    expect(await auth.validate(a.token)).not.toBeNull(); // now cached
    await auth.invalidateAllSessions(userId);
    expect(await auth.validate(a.token)).toBeNull();
    expect(await auth.validate(b.token)).toBeNull();
  });

  it("userChanged drops cached attributes so the next request reads them again", async () => {
    const auth = createAuth(t.app.db, { ...config, cacheSeconds: 60 });
    const a = await auth.createSession(userId);
    expect((await auth.validate(a.token))?.user.mfaEnabled).toBe(false);
    await t.owner.db.update(users).set({ mfaEnabledAt: new Date() }).where(eq(users.id, userId));
    expect((await auth.validate(a.token))?.user.mfaEnabled).toBe(false); // served from the cache
    await auth.userChanged(userId);
    expect((await auth.validate(a.token))?.user.mfaEnabled).toBe(true);
    await t.owner.db.update(users).set({ mfaEnabledAt: null }).where(eq(users.id, userId));
  });

  it("invalidates other sessions but keeps the current one", async () => {
    const auth = createAuth(t.app.db, config);
    const a = await auth.createSession(userId);
    const b = await auth.createSession(userId);
    await auth.invalidateOtherSessions(userId, a.sessionId);
    expect(await auth.validate(a.token)).not.toBeNull();
    expect(await auth.validate(b.token)).toBeNull();
  });

  it("hand-off tokens are single use and expire after a minute", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const auth = createAuth(t.app.db, config);
    const tenantId = crypto.randomUUID();
    const once = await auth.createHandoff(userId, tenantId);
    expect(await auth.consumeHandoff(once)).toEqual({ userId, targetTenantId: tenantId });
    expect(await auth.consumeHandoff(once)).toBeNull();
    const late = await auth.createHandoff(userId, tenantId);
    vi.advanceTimersByTime(61_000);
    expect(await auth.consumeHandoff(late)).toBeNull();
  });
});

describe("passwords", () => {
  it("hashes with argon2id and verifies", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, "correct horse battery")).toBe(true);
    expect(await verifyPassword(hash, "wrong")).toBe(false);
    expect(await verifyPassword("not a hash", "x")).toBe(false);
  });
});
