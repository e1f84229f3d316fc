import { eq, sql } from "drizzle-orm";
import { loginAttempts } from "@switchboard/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cookie } from "@switchboard/auth";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { asUser, callerFor, codeOf, createUser, testAuth } from "../../testing";
import { retryAfterOf } from "../../errors";
import { loginLimits } from "./login-throttle";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const login = (email: string, password: string, ip: string) => callerFor(t.app, { ip }).auth.login({ email, password });

describe("login throttling", () => {
  it("refuses an account from an IP after repeated failures, even with the right password; other IPs still sign in", async () => {
    const user = await createUser(t.app, "Throttled");
    for (let i = 0; i < loginLimits.perAccountAndIp; i++) {
      expect(await codeOf(login(user.email, "wrong password", "10.0.0.1"))).toBe("UNAUTHORIZED");
    }
    expect(await codeOf(login(user.email, "correct horse battery", "10.0.0.1"))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(login(user.email, "correct horse battery", "10.0.0.2"))).toBe("OK");
    // Unknown accounts are throttled the same way (no account oracle).
    for (let i = 0; i < loginLimits.perAccountAndIp; i++) await codeOf(login("ghost@nowhere.test", "wrong password", "10.0.0.3"));
    expect(await codeOf(login("ghost@nowhere.test", "wrong password", "10.0.0.3"))).toBe("TOO_MANY_REQUESTS");
    // The window slides: old failures stop counting.
    await t.owner.db.execute(sql`update login_attempts set at = at - interval '16 minutes' where ip = '10.0.0.1'`);
    expect(await codeOf(login(user.email, "correct horse battery", "10.0.0.1"))).toBe("OK");
  });

  it("an account under attack from many IPs backs off exponentially, except for IPs it signed in from before", async () => {
    const user = await createUser(t.app, "Sprayed");
    expect(await codeOf(login(user.email, "correct horse battery", "192.168.1.1"))).toBe("OK");
    for (let i = 0; i < loginLimits.accountFreeFailures; i++) await codeOf(login(user.email, "wrong password", `172.16.0.${i}`));
    expect(await codeOf(login(user.email, "correct horse battery", "172.16.1.1"))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(login(user.email, "correct horse battery", "192.168.1.1"))).toBe("OK");
    // The wait expires by itself.
    await t.owner.db.execute(sql`update login_attempts set at = at - interval '2 seconds' where not success`);
    expect(await codeOf(login(user.email, "correct horse battery", "172.16.1.1"))).toBe("OK");
  });

  it("throttles guesses of the current password in changePassword", async () => {
    const user = await createUser(t.app, "Guess");
    const c = asUser(t.app, user);
    for (let i = 0; i < loginLimits.perAccountAndIp; i++) {
      expect(await codeOf(c.auth.changePassword({ currentPassword: "guess", newPassword: "a new long password" }))).toBe("UNAUTHORIZED");
    }
    expect(await codeOf(c.auth.changePassword({ currentPassword: "correct horse battery", newPassword: "a new long password" }))).toBe(
      "TOO_MANY_REQUESTS",
    );
  });
});

describe("login throttling under concurrency", () => {
  it("concurrent wrong attempts get no more verifications than the limit; refusals say when to retry", async () => {
    const user = await createUser(t.app, "Stampede");
    const results = await Promise.all(
      Array.from({ length: 12 }, () => login(user.email, "wrong password", "10.50.0.1").catch((e: unknown) => e)),
    );
    const codes = results.map((r) => (r as { code?: string }).code);
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(loginLimits.perAccountAndIp);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(12 - loginLimits.perAccountAndIp);
    for (const r of results.filter((r) => (r as { code?: string }).code === "TOO_MANY_REQUESTS")) {
      const seconds = retryAfterOf(r);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(loginLimits.windowMinutes * 60);
    }
    const recorded = await t.owner.db.select().from(loginAttempts).where(eq(loginAttempts.ip, "10.50.0.1"));
    expect(recorded).toHaveLength(loginLimits.perAccountAndIp);
  });
});

describe("AUTH_RATE_LIMIT_PER_MINUTE", () => {
  it("limits the open auth procedures per client address, concurrent calls included, with a retry-after", async () => {
    const open = (ip: string) => callerFor(t.app, { ip, config: { authRateLimitPerMinute: 3 } });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        open("10.60.0.1").auth.requestPasswordReset({ email: `rl-${i}@example.test` }).catch((e: unknown) => e),
      ),
    );
    expect(results.filter((r) => (r as { ok?: boolean }).ok === true)).toHaveLength(3);
    const refused = results.filter((r) => (r as { code?: string }).code === "TOO_MANY_REQUESTS");
    expect(refused).toHaveLength(5);
    for (const r of refused) expect(retryAfterOf(r)).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect(retryAfterOf(r)).toBeLessThanOrEqual(60);
    // Every open procedure counts against the same address, bad input included; other addresses are unaffected.
    expect(await codeOf(open("10.60.0.1").auth.login({ email: "x@example.test", password: "whatever" }))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(open("10.60.0.1").auth.verifyEmail({ token: "bad" }))).toBe("TOO_MANY_REQUESTS");
    expect(await codeOf(open("10.60.0.2").auth.verifyEmail({ token: "bad" }))).toBe("BAD_REQUEST");
    // Signed-in procedures are not limited by it.
    const user = await createUser(t.app, "Limited");
    expect(await codeOf(callerFor(t.app, { ip: "10.60.0.1", user, sessionId: user.sessionId, config: { authRateLimitPerMinute: 3 } }).auth.me())).toBe(
      "OK",
    );
  });
});

describe("auth.changePassword", () => {
  it("ends every other session and rotates the current one", async () => {
    const user = await createUser(t.app, "Rotate");
    const auth = testAuth(t.app);
    const other = await auth.createSession(user.id);
    const cookies: Cookie[] = [];
    await callerFor(t.app, { user, sessionId: user.sessionId, cookies }).auth.changePassword({
      currentPassword: "correct horse battery",
      newPassword: "a brand new password",
    });
    expect(await auth.validate(other.token)).toBeNull();
    expect(await auth.validate(user.token)).toBeNull();
    const fresh = await auth.validate(cookies[0]!.value);
    expect(fresh?.user.id).toBe(user.id);
    expect(await codeOf(login(user.email, "correct horse battery", "10.9.9.9"))).toBe("UNAUTHORIZED");
    expect(await codeOf(login(user.email, "a brand new password", "10.9.9.9"))).toBe("OK");
    expect(
      await codeOf(
        callerFor(t.app, { user, sessionId: fresh!.sessionId }).auth.changePassword({
          currentPassword: "a brand new password",
          newPassword: "a brand new password",
        }),
      ),
    ).toBe("BAD_REQUEST");
  });
});
