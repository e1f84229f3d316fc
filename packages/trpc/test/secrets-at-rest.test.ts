/**
 * Secrets at rest, proven on the database itself (real PostgreSQL under `pnpm test`): after every flow that hands
 * out a secret — session cookie, API key, verification and reset links, invitation link, MFA challenge, TOTP secret,
 * recovery codes — no table of the database (the job queue's included) holds any of them in a readable form. The
 * one exception is the mail outbox, which carries a link until the worker has sent it (then it is redacted; see
 * packages/jobs): a queued mail is the message itself, not a stored credential.
 */
import { desc, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cookie, currentTotpStep, totpCodeAt } from "@switchboard/auth";
import { emailOutbox } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { asUser, callerFor, createKeyFixture, createTenantWithRoles, mailedInvitationToken, testAuth } from "../src/testing";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

async function mailedToken(to: string, kind: string): Promise<string> {
  const [mail] = await t.owner.db
    .select()
    .from(emailOutbox)
    .where(sql`${emailOutbox.to} = ${to} and ${emailOutbox.kind} = ${kind}`)
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  const token = mail && /[?&]token=([\w%-]+)/.exec(mail.body)?.[1];
  if (!token) throw new Error(`no ${kind} mail to ${to}`);
  return decodeURIComponent(token);
}

/** Every row of every table but the outbox, as text (read as the owner: no row security in the way). */
async function databaseText(): Promise<string> {
  const tables = await t.owner.db.execute<{ schema: string; name: string }>(sql`select table_schema as schema, table_name as name
    from information_schema.tables
    where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`);
  const rows = Array.isArray(tables) ? tables : (tables as unknown as { rows: { schema: string; name: string }[] }).rows;
  expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(["users", "sessions", "user_tokens", "invitations", "api_keys"]));
  const parts: string[] = [];
  for (const { schema, name } of rows) {
    if (schema === "public" && name === "email_outbox") continue;
    const q = sql.raw(`select coalesce(string_agg(row_to_json(x)::text, chr(10)), '') as dump from "${schema}"."${name}" x`);
    const res = await t.owner.db.execute<{ dump: string }>(q);
    const out = Array.isArray(res) ? res : (res as unknown as { rows: { dump: string }[] }).rows;
    parts.push(`${schema}.${name}: ${out[0]?.dump ?? ""}`);
  }
  return parts.join("\n");
}

describe("secrets at rest", () => {
  it("no session, key, link token, challenge, TOTP secret or recovery code is stored readable in any table", async () => {
    const secrets: Record<string, string> = {};
    const acme = await createTenantWithRoles(t.app, "at-rest");

    // Registration: a session cookie and a verification link.
    const email = `at-rest-${Date.now()}@example.test`;
    const cookies: Cookie[] = [];
    const { user } = await callerFor(t.app, { cookies }).auth.register({ email, password: "a long enough password", name: "At Rest" });
    secrets.session = cookies[0]!.value;
    secrets.verification = await mailedToken(email, "verify-email");
    await callerFor(t.app).auth.verifyEmail({ token: secrets.verification });

    // A reset link (left unused: a live token).
    await callerFor(t.app).auth.requestPasswordReset({ email });
    secrets.reset = await mailedToken(email, "password-reset");

    // An invitation link (pending) and an API key.
    await acme.as(acme.owner).members.add({ email, role: "viewer" });
    secrets.invitation = await mailedInvitationToken(t.owner, email);
    secrets.apiKey = (await createKeyFixture(t.app, acme.tenant.id, "agent")).key;

    // MFA: the secret, the recovery codes, and a pending sign-in challenge.
    const session = (await testAuth(t.app).validate(secrets.session))!;
    expect(session.user.id).toBe(user.id);
    const me = asUser(t.app, { ...session.user, sessionId: session.sessionId });
    const { secret } = await me.auth.mfa.setup();
    const { recoveryCodes } = await me.auth.mfa.enable({ code: totpCodeAt(secret, currentTotpStep() - 1) });
    secrets.totpSecret = secret;
    recoveryCodes.forEach((c, i) => {
      secrets[`recovery${i}`] = c;
      secrets[`recovery${i}compact`] = c.replace("-", "");
    });
    const login = await callerFor(t.app, { ip: "10.99.0.1" }).auth.login({ email, password: "a long enough password" });
    expect(login).toMatchObject({ mfaRequired: true });
    secrets.challenge = (login as { challenge: string }).challenge;

    const dump = (await databaseText()).toLowerCase();
    const found = Object.entries(secrets).filter(([, v]) => dump.includes(v.toLowerCase()));
    expect(found.map(([k]) => k)).toEqual([]);
    // The flows did store their records (hashes), so the scan looked at real rows.
    expect(dump).toContain(email.toLowerCase());
    expect(dump).toMatch(/"mfa_secret":"v1\./);
  });
});
