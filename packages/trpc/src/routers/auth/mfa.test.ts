// TOTP MFA through createCaller on a real database: setup, enable, sign-in challenge, recovery codes, disable.
import { desc, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cookie, currentTotpStep, totpCodeAt } from "@switchboard/auth";
import { emailOutbox, mfaChallenges, mfaRecoveryCodes, users } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { asUser, callerFor, codeOf, createUser } from "../../testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const password = "correct horse battery";
let ipCounter = 0;
/** A fresh client address per sign-in, so the login throttle's per-address limits stay out of these tests. */
const freshIp = () => `10.20.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

/** A user with MFA on; returns the secret (as the authenticator app holds it) and the recovery codes. */
async function userWithMfa(name: string) {
  const user = await createUser(t.app, name);
  const c = asUser(t.app, user);
  const { secret, otpauthUrl } = await c.auth.mfa.setup();
  expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/Switchboard:/);
  // The step before now: the tests' own codes use now and later steps.
  const { recoveryCodes } = await c.auth.mfa.enable({ code: totpCodeAt(secret, currentTotpStep() - 1) });
  return { user: { ...user, mfaEnabled: true }, secret, recoveryCodes };
}

async function login(email: string, ip = freshIp()) {
  const cookies: Cookie[] = [];
  const res = await callerFor(t.app, { cookies, ip }).auth.login({ email, password });
  return { res, cookies };
}

async function loginMfa(challenge: string, code: string, ip = freshIp()) {
  const cookies: Cookie[] = [];
  const res = await callerFor(t.app, { cookies, ip }).auth.loginMfa({ challenge, code });
  return { res, cookies };
}

async function challengeFor(email: string): Promise<string> {
  const { res, cookies } = await login(email);
  expect(res).toMatchObject({ mfaRequired: true });
  expect(cookies).toHaveLength(0); // no session before the second factor
  return (res as { challenge: string }).challenge;
}

describe("MFA setup", () => {
  it("keeps the secret encrypted at rest, and recovery codes hashed", async () => {
    const { user, secret, recoveryCodes } = await userWithMfa("AtRest");
    const [row] = await t.owner.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.mfaSecret).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(row!.mfaSecret).not.toContain(secret);
    expect(row!.mfaSecret).not.toContain(secret.toLowerCase());
    expect(row!.mfaEnabledAt).not.toBeNull();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await t.owner.db.select().from(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id));
    expect(stored).toHaveLength(10);
    const dump = JSON.stringify(stored);
    for (const code of recoveryCodes) {
      expect(dump).not.toContain(code);
      expect(dump).not.toContain(code.replace("-", ""));
    }
    expect((await asUser(t.app, user).auth.me()).user.mfaEnabled).toBe(true);
  });

  it("enables only with a valid code, and not twice", async () => {
    const user = await createUser(t.app, "Enabler");
    const c = asUser(t.app, user);
    expect(await codeOf(c.auth.mfa.enable({ code: "123456" }))).toBe("PRECONDITION_FAILED"); // no setup yet
    const { secret } = await c.auth.mfa.setup();
    const wrong = totpCodeAt(secret, currentTotpStep() - 5);
    expect(await codeOf(c.auth.mfa.enable({ code: wrong }))).toBe("BAD_REQUEST");
    expect(await codeOf(c.auth.mfa.enable({ code: "abc" }))).toBe("BAD_REQUEST");
    const [off] = await t.owner.db.select().from(users).where(eq(users.id, user.id));
    expect(off!.mfaEnabledAt).toBeNull();
    await c.auth.mfa.enable({ code: totpCodeAt(secret, currentTotpStep()) });
    expect(await codeOf(c.auth.mfa.setup())).toBe("PRECONDITION_FAILED");
    expect(await codeOf(c.auth.mfa.enable({ code: totpCodeAt(secret, currentTotpStep() + 1) }))).toBe("PRECONDITION_FAILED");
  });
});

describe("signing in with MFA", () => {
  it("asks for a code instead of starting a session; a TOTP code completes it, once", async () => {
    const { user, secret } = await userWithMfa("TwoStep");
    const challenge = await challengeFor(user.email);
    const code = totpCodeAt(secret, currentTotpStep());
    const { res, cookies } = await loginMfa(challenge, code);
    expect(res.user).toMatchObject({ id: user.id, email: user.email, mfaEnabled: true });
    expect(cookies).toHaveLength(1);
    // The challenge is spent, and the same code is refused on a new one (replay within its window).
    expect(await codeOf(loginMfa(challenge, totpCodeAt(secret, currentTotpStep() + 1)))).toBe("UNAUTHORIZED");
    const again = await challengeFor(user.email);
    expect(await codeOf(loginMfa(again, code))).toBe("UNAUTHORIZED");
    expect(await codeOf(loginMfa(again, totpCodeAt(secret, currentTotpStep() - 1)))).toBe("UNAUTHORIZED"); // older
    expect(await codeOf(loginMfa(again, totpCodeAt(secret, currentTotpStep() + 1)))).toBe("OK");
    const events = (await asUser(t.app, user).auth.securityLog()).items.map((e) => e.event);
    expect(events).toEqual(expect.arrayContaining(["mfa_enabled", "signed_in", "mfa_code_failed"]));
  });

  it("the same code sent twice at once signs in once", async () => {
    const { user, secret } = await userWithMfa("Racer");
    const [a, b] = [await challengeFor(user.email), await challengeFor(user.email)];
    const code = totpCodeAt(secret, currentTotpStep());
    const results = await Promise.all([codeOf(loginMfa(a, code)), codeOf(loginMfa(b, code))]);
    expect(results.sort()).toEqual(["OK", "UNAUTHORIZED"]);
  });

  it("a challenge allows 5 codes and lives 5 minutes", async () => {
    const { user, secret } = await userWithMfa("Limited");
    const challenge = await challengeFor(user.email);
    for (let i = 0; i < 5; i++) expect(await codeOf(loginMfa(challenge, "000000"))).toBe("UNAUTHORIZED");
    expect(await codeOf(loginMfa(challenge, totpCodeAt(secret, currentTotpStep())))).toBe("UNAUTHORIZED");
    const late = await challengeFor(user.email);
    await t.owner.db.update(mfaChallenges).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(mfaChallenges.userId, user.id));
    expect(await codeOf(loginMfa(late, totpCodeAt(secret, currentTotpStep())))).toBe("UNAUTHORIZED");
    expect(await codeOf(loginMfa("A".repeat(43), totpCodeAt(secret, currentTotpStep())))).toBe("UNAUTHORIZED");
    expect(await codeOf(loginMfa(await challengeFor(user.email), totpCodeAt(secret, currentTotpStep())))).toBe("OK");
  });

  it("wrong codes count as failed sign-ins: past the limit the address waits, with a retry-after", async () => {
    const { user } = await userWithMfa("Guessed");
    const ip = "10.30.0.1";
    for (let i = 0; i < 5; i++) {
      const challenge = (await login(user.email, ip)).res as { challenge: string };
      expect(await codeOf(loginMfa(challenge.challenge, "000000", ip))).toBe("UNAUTHORIZED");
    }
    expect(await codeOf(login(user.email, ip))).toBe("TOO_MANY_REQUESTS");
  });

  it("a recovery code signs in once, however it is typed", async () => {
    const { user, recoveryCodes } = await userWithMfa("Recovering");
    const typed = recoveryCodes[0]!.toUpperCase().replace("-", " ");
    expect(await codeOf(loginMfa(await challengeFor(user.email), typed))).toBe("OK");
    expect(await codeOf(loginMfa(await challengeFor(user.email), recoveryCodes[0]!))).toBe("UNAUTHORIZED");
    expect(await codeOf(loginMfa(await challengeFor(user.email), recoveryCodes[1]!))).toBe("OK");
    const events = (await asUser(t.app, user).auth.securityLog()).items.map((e) => e.event);
    expect(events.filter((e) => e === "recovery_code_used")).toHaveLength(2);
  });
});

describe("MFA disable", () => {
  it("needs a valid TOTP or recovery code; then sign-in needs only the password", async () => {
    const { user, secret, recoveryCodes } = await userWithMfa("Disabler");
    const c = asUser(t.app, user);
    expect(await codeOf(c.auth.mfa.disable({ code: "000000" }))).toBe("BAD_REQUEST");
    expect(await codeOf(c.auth.mfa.disable({ code: "zzzzz-zzzzz" }))).toBe("BAD_REQUEST");
    expect(await c.auth.mfa.disable({ code: recoveryCodes[3]! })).toEqual({ ok: true });
    const [row] = await t.owner.db.select().from(users).where(eq(users.id, user.id));
    expect(row).toMatchObject({ mfaSecret: null, mfaEnabledAt: null });
    expect(await t.owner.db.select().from(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id))).toHaveLength(0);
    const { res, cookies } = await login(user.email);
    expect(res).toMatchObject({ mfaRequired: false, user: { id: user.id, mfaEnabled: false } });
    expect(cookies).toHaveLength(1);
    // Off: disabling again is a precondition failure; the old secret's codes mean nothing.
    const off = asUser(t.app, { ...user, mfaEnabled: false });
    expect(await codeOf(off.auth.mfa.disable({ code: totpCodeAt(secret, currentTotpStep()) }))).toBe("PRECONDITION_FAILED");
    const events = (await off.auth.securityLog()).items.map((e) => e.event);
    expect(events).toContain("mfa_disabled");
  });
});

/** The token of the newest reset link mailed to `to` (read as the owner, as the mail job would). */
async function resetToken(to: string): Promise<string> {
  await callerFor(t.app).auth.requestPasswordReset({ email: to });
  const [mail] = await t.owner.db.select().from(emailOutbox).where(eq(emailOutbox.to, to)).orderBy(desc(emailOutbox.createdAt)).limit(1);
  return /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail!.body)![1]!;
}

describe("MFA and password changes", () => {
  it("a sign-in started before a password reset or change cannot be completed afterwards, even with a valid code", async () => {
    const { user, recoveryCodes } = await userWithMfa("Reset Midway");
    const pending = await challengeFor(user.email);
    await callerFor(t.app).auth.resetPassword({ token: await resetToken(user.email), password: "a brand new passphrase" });
    expect(await codeOf(loginMfa(pending, recoveryCodes[0]!))).toBe("UNAUTHORIZED");
    // The code was not spent: a sign-in with the new password still takes it.
    const fresh = await callerFor(t.app, { ip: freshIp() }).auth.login({ email: user.email, password: "a brand new passphrase" });
    expect(await codeOf(loginMfa((fresh as { challenge: string }).challenge, recoveryCodes[0]!))).toBe("OK");

    const { user: changer, recoveryCodes: codes } = await userWithMfa("Change Midway");
    const started = await challengeFor(changer.email);
    await asUser(t.app, changer).auth.changePassword({ currentPassword: password, newPassword: "another new passphrase" });
    expect(await codeOf(loginMfa(started, codes[0]!))).toBe("UNAUTHORIZED");
  });

  it("a reset that proves the address of an unverified account removes MFA set up before the proof; a verified account keeps its MFA", async () => {
    // Someone registers another person's address and turns MFA on: the mailbox's owner resets the password.
    const squatter = await createUser(t.app, "Squatter", { verified: false });
    const c = asUser(t.app, squatter);
    const { secret } = await c.auth.mfa.setup();
    await c.auth.mfa.enable({ code: totpCodeAt(secret, currentTotpStep() - 1) });
    await callerFor(t.app).auth.resetPassword({ token: await resetToken(squatter.email), password: "the owner's passphrase" });
    const [row] = await t.owner.db.select().from(users).where(eq(users.id, squatter.id));
    expect(row).toMatchObject({ mfaSecret: null, mfaEnabledAt: null });
    expect(row!.emailVerifiedAt).not.toBeNull();
    expect(await t.owner.db.select().from(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, squatter.id))).toHaveLength(0);
    expect(await codeOf(login(squatter.email))).toBe("UNAUTHORIZED"); // the squatter's password is gone
    const owner = await callerFor(t.app, { ip: freshIp() }).auth.login({ email: squatter.email, password: "the owner's passphrase" });
    expect(owner).toMatchObject({ mfaRequired: false, user: { mfaEnabled: false, emailVerified: true } });

    const { user: verified } = await userWithMfa("Verified Resetter");
    await callerFor(t.app).auth.resetPassword({ token: await resetToken(verified.email), password: "a verified passphrase" });
    const [kept] = await t.owner.db.select().from(users).where(eq(users.id, verified.id));
    expect(kept!.mfaEnabledAt).not.toBeNull();
  });
});
