// Mailed links (verification, password reset) and the password rules, through createCaller on a real database.
import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Cookie } from "@switchboard/auth";
import { emailOutbox, users, userTokens } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { retryAfterOf } from "../../errors";
import { asUser, callerFor, codeOf, createUser, testAuth } from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

/** The newest mail to `to` (read as the owner, as the mail job would), and the token its link carries. */
async function lastMail(to: string) {
  const [mail] = await t.owner.db.select().from(emailOutbox).where(eq(emailOutbox.to, to)).orderBy(desc(emailOutbox.createdAt)).limit(1);
  if (!mail) return null;
  const link = /(https?:\/\/\S+\?token=([A-Za-z0-9_-]+))/.exec(mail.body);
  return { mail, link: link?.[1] ?? null, token: link?.[2] ?? null };
}
const mailCount = async (to: string, kind?: string) =>
  (
    await t.owner.db
      .select({ n: sql<number>`count(*)::int` })
      .from(emailOutbox)
      .where(and(eq(emailOutbox.to, to), kind ? eq(emailOutbox.kind, kind) : undefined))
  )[0]!.n;

async function register(email: string, password = "a long enough password") {
  const cookies: Cookie[] = [];
  const res = await callerFor(t.app, { cookies }).auth.register({ email, password, name: "New" });
  /** A caller as the API builds one per request: from the session as it is now. */
  const caller = async () => {
    const session = await testAuth(t.app).validate(cookies[0]!.value);
    return callerFor(t.app, { user: session!.user, sessionId: session!.sessionId });
  };
  return { ...res, caller };
}

describe("e-mail verification", () => {
  it("register answers emailVerified: false and mails a single-use link stored only as its hash", async () => {
    const { user, caller } = await register("verify-me@example.test");
    expect(user).toEqual({ id: user.id, email: "verify-me@example.test", name: "New", emailVerified: false });
    expect((await (await caller()).auth.me()).user).toMatchObject({ emailVerified: false, mfaEnabled: false, isPlatformAdmin: false });
    const sent = await lastMail("verify-me@example.test");
    expect(sent?.mail.kind).toBe("verify-email");
    expect(sent?.mail.tenantId).toBeNull();
    expect(sent?.link).toMatch(/^http:\/\/localhost:3000\/verify-email\?token=/);
    const stored = await t.owner.db.select().from(userTokens).where(eq(userTokens.userId, user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.purpose).toBe("verify_email");
    expect(stored[0]!.tokenHash).not.toBe(sent!.token);
    expect(JSON.stringify(stored)).not.toContain(sent!.token!);
    expect(stored[0]!.expiresAt.getTime() - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    expect(stored[0]!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600_000);

    expect(await callerFor(t.app).auth.verifyEmail({ token: sent!.token! })).toEqual({ ok: true });
    expect((await (await caller()).auth.me()).user.emailVerified).toBe(true);
    // Single use.
    expect(await codeOf(callerFor(t.app).auth.verifyEmail({ token: sent!.token! }))).toBe("BAD_REQUEST");
    const log = await (await caller()).auth.securityLog();
    expect(log.items.map((e) => e.event)).toContain("email_verified");
  });

  it("refuses an expired link, a made-up one, and one sent to an address the account no longer uses", async () => {
    const { user } = await register("expired@example.test");
    const { token } = (await lastMail("expired@example.test"))!;
    await t.owner.db.update(userTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(userTokens.userId, user.id));
    expect(await codeOf(callerFor(t.app).auth.verifyEmail({ token: token! }))).toBe("BAD_REQUEST");
    expect(await codeOf(callerFor(t.app).auth.verifyEmail({ token: "A".repeat(43) }))).toBe("BAD_REQUEST");
    expect(await codeOf(callerFor(t.app).auth.verifyEmail({ token: "not a token" }))).toBe("BAD_REQUEST");

    const moved = await register("moved@example.test");
    const link = (await lastMail("moved@example.test"))!;
    await t.owner.db.update(users).set({ email: "moved-elsewhere@example.test" }).where(eq(users.id, moved.user.id));
    expect(await codeOf(callerFor(t.app).auth.verifyEmail({ token: link.token! }))).toBe("BAD_REQUEST");
    const [row] = await t.owner.db.select().from(users).where(eq(users.id, moved.user.id));
    expect(row!.emailVerifiedAt).toBeNull();
  });

  it("resends a link while unverified, at most 5 an hour (TOO_MANY_REQUESTS with a retry-after), never once verified", async () => {
    const c = await (await register("resend@example.test")).caller();
    for (let i = 0; i < 4; i++) expect(await c.auth.resendVerification()).toEqual({ ok: true });
    expect(await mailCount("resend@example.test")).toBe(5);
    const refused = await c.auth.resendVerification().catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(retryAfterOf(refused)).toBeGreaterThan(3000);
    expect(await mailCount("resend@example.test")).toBe(5);
    // Every link works until used; the newest one verifies.
    await callerFor(t.app).auth.verifyEmail({ token: (await lastMail("resend@example.test"))!.token! });
    const verified = await createUser(t.app, "Verified");
    expect(await codeOf(asUser(t.app, verified).auth.resendVerification())).toBe("PRECONDITION_FAILED");
    expect(await codeOf(callerFor(t.app).auth.resendVerification())).toBe("UNAUTHORIZED");
  });
});

describe("passwords", () => {
  it("refuses common and breached-list passwords on register, change and reset, naming the field", async () => {
    const err = await callerFor(t.app)
      .auth.register({ email: "common@example.test", password: "password123", name: "C" })
      .catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: "BAD_REQUEST" });
    expect((err as Error).message).toMatch(/too common/);
    expect(await codeOf(callerFor(t.app).auth.register({ email: "common@example.test", password: "Basketball2024!", name: "C" }))).toBe(
      "BAD_REQUEST",
    );
    const [row] = await t.owner.db.select().from(users).where(eq(users.email, "common@example.test"));
    expect(row).toBeUndefined();

    const user = await createUser(t.app, "Changer");
    expect(
      await codeOf(asUser(t.app, user).auth.changePassword({ currentPassword: "correct horse battery", newPassword: "qwertyuiop" })),
    ).toBe("BAD_REQUEST");
    await callerFor(t.app).auth.requestPasswordReset({ email: user.email });
    const { token } = (await lastMail(user.email))!;
    expect(await codeOf(callerFor(t.app).auth.resetPassword({ token: token!, password: "1234567890" }))).toBe("BAD_REQUEST");
    // The refused reset did not use the link up.
    expect(await callerFor(t.app).auth.resetPassword({ token: token!, password: "a fresh long passphrase" })).toEqual({ ok: true });
  });
});

describe("password reset", () => {
  it("mails a 1-hour link; the reset ends every session, voids other links, and is single use", async () => {
    const user = await createUser(t.app, "Forgetful");
    const auth = testAuth(t.app);
    const other = await auth.createSession(user.id);
    expect(await callerFor(t.app).auth.requestPasswordReset({ email: user.email.toUpperCase() })).toEqual({ ok: true });
    const first = (await lastMail(user.email))!;
    expect(first.mail.kind).toBe("password-reset");
    expect(first.link).toMatch(/^http:\/\/localhost:3000\/reset-password\?token=/);
    const [stored] = await t.owner.db
      .select()
      .from(userTokens)
      .where(and(eq(userTokens.userId, user.id), eq(userTokens.purpose, "reset_password")));
    expect(stored!.tokenHash).not.toBe(first.token);
    expect(stored!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(3600_000);
    expect(stored!.expiresAt.getTime() - Date.now()).toBeGreaterThan(3500_000);
    await callerFor(t.app).auth.requestPasswordReset({ email: user.email });
    const second = (await lastMail(user.email))!;
    expect(second.token).not.toBe(first.token);

    expect(await callerFor(t.app).auth.resetPassword({ token: second.token!, password: "my new long password" })).toEqual({ ok: true });
    expect(await auth.validate(user.token)).toBeNull();
    expect(await auth.validate(other.token)).toBeNull();
    expect(await codeOf(callerFor(t.app).auth.resetPassword({ token: second.token!, password: "yet another password" }))).toBe("BAD_REQUEST");
    expect(await codeOf(callerFor(t.app).auth.resetPassword({ token: first.token!, password: "yet another password" }))).toBe("BAD_REQUEST");
    const login = (password: string) => callerFor(t.app, { ip: "10.7.0.1" }).auth.login({ email: user.email, password });
    expect(await codeOf(login("correct horse battery"))).toBe("UNAUTHORIZED");
    expect(await codeOf(login("my new long password"))).toBe("OK");
    const events = (await asUser(t.app, { ...user, sessionId: (await auth.createSession(user.id)).sessionId }).auth.securityLog()).items;
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(["password_reset_requested", "password_reset"]));
  });

  it("refuses an expired reset link", async () => {
    const user = await createUser(t.app, "Late");
    await callerFor(t.app).auth.requestPasswordReset({ email: user.email });
    const { token } = (await lastMail(user.email))!;
    await t.owner.db.update(userTokens).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(userTokens.userId, user.id));
    expect(await codeOf(callerFor(t.app).auth.resetPassword({ token: token!, password: "my new long password" }))).toBe("BAD_REQUEST");
  });

  it("answers the same for an unknown address, in a similar time, and mails nothing", async () => {
    const user = await createUser(t.app, "Known");
    const ask = async (email: string) => {
      const started = performance.now();
      const res = await callerFor(t.app, { ip: "10.8.0.1" }).auth.requestPasswordReset({ email });
      return { res, ms: performance.now() - started };
    };
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      // Interleaved, so load on the machine hits both alike. (At most 5 mails an hour: later known requests send nothing.)
      const a = await ask(user.email);
      const b = await ask(`nobody-${i}@example.test`);
      expect(a.res).toEqual({ ok: true });
      expect(b.res).toEqual({ ok: true });
      known.push(a.ms);
      unknown.push(b.ms);
    }
    expect(await mailCount("nobody-0@example.test")).toBe(0);
    expect(await mailCount(user.email, "password-reset")).toBe(5);
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
