import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, integrations } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { asKey, codeOf, createKeyFixture, createTenantWithRoles, testAuth } from "../../testing";
import { sealContext, twilioCredentials } from "./integrations.service";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

const accountSid = `AC${"0123456789abcdef".repeat(2)}`;
const authToken = "f".repeat(8) + "0123456789abcdef" + "e".repeat(8);

describe("integrations.twilio", () => {
  it("connects Twilio: the token is sealed at rest, never returned, and the callback URLs are the tenant's", async () => {
    const { tenant, owner, admin, as } = await createTenantWithRoles(t.app, "twilio-co");
    const before = await as(admin).integrations.twilio.get();
    expect(before).toEqual({
      configured: false,
      accountSid: null,
      fromNumber: null,
      messagingServiceSid: null,
      whatsappFrom: null,
      voiceUrl: "http://twilio-co.localhost:3000/hooks/twilio/twilio-co/voice",
      messagesUrl: "http://twilio-co.localhost:3000/hooks/twilio/twilio-co/messages",
      updatedAt: null,
    });

    const set = await as(owner).integrations.twilio.set({ accountSid: accountSid.toUpperCase().replace(/^AC/, "AC"), authToken });
    expect(set).toMatchObject({ configured: true, accountSid, voiceUrl: before.voiceUrl, messagesUrl: before.messagesUrl });
    expect(JSON.stringify(set)).not.toContain(authToken);
    expect(await as(admin).integrations.twilio.get()).toEqual(set);

    const [row] = await t.owner.db.select().from(integrations).where(eq(integrations.tenantId, tenant.id));
    expect(row!.config).toEqual({ accountSid });
    expect(row!.secretCiphertext).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(authToken);
    const secrets = testAuth(t.app).secrets;
    expect(secrets.open(row!.secretCiphertext, sealContext("twilio", tenant.id))).toBe(authToken);
    // Bound to its tenant and provider: the same ciphertext opens nowhere else.
    expect(() => secrets.open(row!.secretCiphertext, sealContext("twilio", crypto.randomUUID()))).toThrow();
    expect(() => secrets.open(row!.secretCiphertext, sealContext("ai", tenant.id))).toThrow();
    expect(await t.app.transaction((tx) => twilioCredentials(tx, secrets, tenant.id))).toBeNull(); // RLS: no scope, no row

    // A rotated token replaces the first; the audit trail names the integration, never the token.
    const rotated = "a".repeat(32);
    await as(admin).integrations.twilio.set({ accountSid, authToken: rotated });
    const [again] = await t.owner.db.select().from(integrations).where(eq(integrations.tenantId, tenant.id));
    expect(secrets.open(again!.secretCiphertext, sealContext("twilio", tenant.id))).toBe(rotated);
    const audits = await t.owner.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.tenantId, tenant.id), eq(auditLog.resourceType, "integration")));
    expect(audits.map((a) => [a.action, a.resourceId, a.result])).toEqual([
      ["integrations.twilio.set", "twilio", "success"],
      ["integrations.twilio.set", "twilio", "success"],
    ]);
    expect(JSON.stringify(audits)).not.toContain(rotated);

    expect(await as(admin).integrations.twilio.delete()).toMatchObject({ configured: false, accountSid: null });
    expect(await t.owner.db.select().from(integrations).where(eq(integrations.tenantId, tenant.id))).toEqual([]);
    expect((await as(admin).integrations.twilio.delete()).configured).toBe(false);
  });

  it("admins only; an API key may read but never write credentials; bad input is BAD_REQUEST", async () => {
    const { tenant, admin, agent, viewer, as } = await createTenantWithRoles(t.app, "twilio-roles");
    for (const user of [agent, viewer]) {
      expect(await codeOf(as(user).integrations.twilio.get())).toBe("FORBIDDEN");
      expect(await codeOf(as(user).integrations.twilio.set({ accountSid, authToken }))).toBe("FORBIDDEN");
      expect(await codeOf(as(user).integrations.twilio.delete())).toBe("FORBIDDEN");
    }
    const key = await createKeyFixture(t.app, tenant.id, "admin");
    expect((await asKey(t.app, key.key).integrations.twilio.get()).configured).toBe(false);
    expect(await codeOf(asKey(t.app, key.key).integrations.twilio.set({ accountSid, authToken }))).toBe("FORBIDDEN");
    expect(await codeOf(asKey(t.app, key.key).integrations.twilio.delete())).toBe("FORBIDDEN");
    expect(await t.owner.db.select().from(integrations).where(eq(integrations.tenantId, tenant.id))).toEqual([]);

    const a = as(admin).integrations.twilio;
    for (const bad of [
      { accountSid: "AC123", authToken },
      { accountSid: `XX${"0".repeat(32)}`, authToken },
      { accountSid, authToken: "short" },
      { accountSid, authToken: `${"0".repeat(31)}\u0000` },
      { accountSid, authToken, extra: true },
      { accountSid },
    ]) {
      expect(await codeOf(a.set(bad as never))).toBe("BAD_REQUEST");
    }
  });
});
