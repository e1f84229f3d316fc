import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cookie } from "@switchboard/auth";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { asUser, callerFor, createUser, testAuth } from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return "OK";
  } catch (err) {
    return err instanceof TRPCError ? err.code : `unexpected ${String(err)}`;
  }
}

describe("auth", () => {
  it("registers, signs in with a session cookie, and answers me", async () => {
    const cookies: Cookie[] = [];
    const { user } = await callerFor(t.app, { cookies }).auth.register({
      email: "  Dana@Example.TEST ",
      password: "a long enough password",
      name: "Dana",
    });
    expect(user.email).toBe("dana@example.test");
    expect(cookies[0]?.attributes).toMatchObject({ httpOnly: true, sameSite: "lax", path: "/" });
    const session = await testAuth(t.app).validate(cookies[0]!.value);
    expect(session?.user.id).toBe(user.id);
    const me = await asUser(t.app, { ...session!.user, sessionId: session!.sessionId }).auth.me();
    expect(me.user.email).toBe("dana@example.test");
    expect(me.memberships).toEqual([]);
  });

  it("refuses a duplicate email with CONFLICT, whatever its case", async () => {
    await callerFor(t.app).auth.register({ email: "dup@example.test", password: "a long enough password", name: "A" });
    expect(
      await codeOf(
        callerFor(t.app).auth.register({ email: "DUP@example.test", password: "another long password", name: "B" }),
      ),
    ).toBe("CONFLICT");
  });

  it("answers a wrong password and an unknown email the same way", async () => {
    await callerFor(t.app).auth.register({ email: "erin@example.test", password: "a long enough password", name: "E" });
    const wrong = callerFor(t.app).auth.login({ email: "erin@example.test", password: "not the password" });
    const unknown = callerFor(t.app).auth.login({ email: "nobody@example.test", password: "not the password" });
    // Both run at once; each gets its handler now, so whichever is refused first is never an unhandled rejection.
    await Promise.all([
      expect(wrong).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "Invalid email or password" }),
      expect(unknown).rejects.toMatchObject({ code: "UNAUTHORIZED", message: "Invalid email or password" }),
    ]);
  });

  it("logs out: the session is invalid afterwards", async () => {
    const user = await createUser(t.app, "Logout");
    const auth = testAuth(t.app);
    expect(await auth.validate(user.token)).not.toBeNull();
    await asUser(t.app, user).auth.logout();
    expect(await auth.validate(user.token)).toBeNull();
  });

  it("me without a session is UNAUTHORIZED", async () => {
    expect(await codeOf(callerFor(t.app).auth.me())).toBe("UNAUTHORIZED");
  });

  it("rejects bad input with BAD_REQUEST naming the field", async () => {
    await expect(
      callerFor(t.app).auth.register({ email: "x@example.test", password: "short", name: "X" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
