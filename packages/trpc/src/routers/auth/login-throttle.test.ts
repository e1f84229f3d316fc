import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cookie } from "@switchboard/auth";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { asUser, callerFor, codeOf, createUser, testAuth } from "../../testing";
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
