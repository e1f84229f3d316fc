// Replies to SMS and WhatsApp conversations leave through Twilio, end to end on the test database against a local
// fake of Twilio's Messages API that checks Basic auth and the form of every request: the reply is queued in its
// transaction (deliveryStatus `queued`), the twilio.send job sends it once, Twilio's status callbacks (signed, as
// Twilio signs) move it forward only, Twilio's refusals fail it with Twilio's reason, outages are retried then
// failed. Notes, other channels and tenants without Twilio send nothing; no tenant's job or callback reaches
// another tenant's message. The last test runs the real job runner: an AI agent's WhatsApp answer goes out.
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messages, withScope } from "@switchboard/db";
import { createTestDatabase, type TestDatabase } from "@switchboard/db/testing";
import { type JobRunner, runTwilioSend, TwilioSendError, type TwilioSendDeps } from "@switchboard/jobs";
import { type FakeTwilio, startFakeTwilio } from "@switchboard/jobs/fake-twilio";
import { codeOf, createTenantWithRoles, startTestJobRunner, testAuth } from "../../testing";
import { lockedEngagement } from "../engagements/engagements.service";
import { receiveTwilioCallback } from "./twilio-callbacks";
import { appendReply } from "./twilio-send";
import { twilioSignature } from "./twilio-signature";

let t: TestDatabase;
let fake: FakeTwilio;
let acme: Awaited<ReturnType<typeof createTenantWithRoles>>;
let other: Awaited<ReturnType<typeof createTenantWithRoles>>;

const accountSid = `AC${"2e".repeat(16)}`;
const authToken = "0123456789abcdef0123456789abcdef";
const otherSid = `AC${"3d".repeat(16)}`;
const otherToken = "fedcba9876543210fedcba9876543210";
const serviceSid = `MG${"4c".repeat(16)}`;
const badNumber = "+15005550001";
const rows = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];
const first = { retryCount: 0, retryLimit: 5 };
const last = { retryCount: 5, retryLimit: 5 };
let seq = 0;
const inboundSid = () => `SM${(++seq).toString(16).padStart(32, "0")}`;
const callbackUrl = (slug: string) => `http://${slug}.localhost:3000/hooks/twilio/${slug}/messages`;

function deps(overrides: Partial<TwilioSendDeps> = {}): TwilioSendDeps {
  return {
    db: t.app,
    apiBaseUrl: fake.baseUrl,
    timeoutSeconds: 2,
    openSecret: (ciphertext, context) => testAuth(t.app).secrets.open(ciphertext, context),
    statusCallbackUrl: callbackUrl,
    ...overrides,
  };
}

/** The twilio.send jobs queued for a message (read as the owner: pg-boss's table). */
async function queued(messageId: string) {
  const r = rows(await t.owner.db.execute(sql`select data from pgboss.job where name = 'twilio.send' and data->>'messageId' = ${messageId}`));
  return r.map((j) => j.data as { tenantId: string; messageId: string });
}

/** The message as stored (as the owner: externalId is not in any procedure's answer). */
async function stored(id: string) {
  const [m] = await t.owner.db.select().from(messages).where(eq(messages.id, id));
  return m!;
}

/** A customer's message on `channel`, then a reply by the tenant's agent; the reply and its one queued job. */
async function reply(tenant: typeof acme, channel: "sms" | "whatsapp" | "chat", handle: string, body: string) {
  const { engagement } = await tenant.as(tenant.agent).messages.ingest({ channel, handle, body: "Hello?", externalId: inboundSid() });
  const sent = await tenant.as(tenant.agent).messages.send({ engagementId: engagement.id, body });
  return { engagement, sent, jobs: await queued(sent.id) };
}

/** A status callback for `sid`, signed for `slug`'s messages URL under `token`, through the callbacks' own steps. */
function statusCallback(slug: string, sid: string, status: string, extra: Record<string, string> = {}, account = accountSid, token = authToken) {
  const params = Object.entries({ AccountSid: account, MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, From: "+14155550199", To: "+14155550123", ApiVersion: "2010-04-01", ...extra });
  const url = callbackUrl(slug);
  return receiveTwilioCallback({ db: t.app, secrets: testAuth(t.app).secrets, slug, kind: "messages", url, signature: twilioSignature(token, url, params), params });
}

const thread = async (engagementId: string) => (await acme.as(acme.viewer).messages.list({ engagementId, limit: 100 })).items;

beforeAll(async () => {
  t = await createTestDatabase();
  fake = await startFakeTwilio({ accounts: { [accountSid]: authToken, [otherSid]: otherToken }, invalidNumbers: [badNumber] });
  acme = await createTenantWithRoles(t.app, "sms-acme", { tier: "pro" });
  other = await createTenantWithRoles(t.app, "sms-other");
  await acme.as(acme.owner).integrations.twilio.set({ accountSid, authToken, fromNumber: "+14155550199", whatsappFrom: "+14155550100" });
  await other.as(other.owner).integrations.twilio.set({ accountSid: otherSid, authToken: otherToken, fromNumber: "+14155550999" });
});
afterAll(async () => {
  await fake?.close();
  await t?.close();
});

describe("integrations.twilio senders", () => {
  it("are validated strictly, kept in config (not secret) and returned by get; set replaces them", async () => {
    const a = acme.as(acme.admin).integrations.twilio;
    expect(await a.get()).toMatchObject({ configured: true, accountSid, fromNumber: "+14155550199", whatsappFrom: "+14155550100", messagingServiceSid: null });
    for (const bad of [
      { fromNumber: "4155550199" },
      { fromNumber: "+0155550199" },
      { fromNumber: "+1 415 555 0199" },
      { fromNumber: "+1415555019912345" },
      { whatsappFrom: "whatsapp:+14155550100" },
      { messagingServiceSid: "MG123" },
      { messagingServiceSid: `PN${"0".repeat(32)}` },
      { fromNumber: "+14155550199", messagingServiceSid: serviceSid },
      { fromNumber: "+14155550199\u0000" },
    ]) {
      expect(await codeOf(a.set({ accountSid, authToken, ...bad }))).toBe("BAD_REQUEST");
    }
    const withService = await a.set({ accountSid, authToken, messagingServiceSid: serviceSid.toUpperCase().replace(/^MG/, "MG") });
    expect(withService).toMatchObject({ fromNumber: null, whatsappFrom: null, messagingServiceSid: serviceSid });
    expect(JSON.stringify(withService)).not.toContain(authToken);
    await a.set({ accountSid, authToken, fromNumber: "+14155550199", whatsappFrom: "+14155550100" });
  });
});

describe("twilio.send", () => {
  it("sends an SMS reply once with Basic auth and Twilio's form; status callbacks move it forward only", async () => {
    const { engagement, sent, jobs } = await reply(acme, "sms", "+1 (415) 555-0123", "Your parcel leaves today.");
    expect(sent.delivery).toEqual({ status: "queued", error: null });
    expect(jobs).toEqual([{ tenantId: acme.tenant.id, messageId: sent.id }]);

    const before = fake.requests().length;
    const result = await runTwilioSend(deps(), jobs[0]!, first);
    expect(result).toMatchObject({ sent: expect.stringMatching(/^SM[0-9a-f]{32}$/), status: "queued" });
    const request = fake.requests().at(-1)!;
    expect(request).toMatchObject({ accountSid, status: 201 });
    expect(request.form).toEqual({ To: "+14155550123", From: "+14155550199", Body: "Your parcel leaves today.", StatusCallback: callbackUrl("sms-acme") });
    const sid = (result as { sent: string }).sent;
    expect(await stored(sent.id)).toMatchObject({ externalId: sid, deliveryStatus: "queued", deliveryError: null });

    // A retried job (pg-boss redelivers after a lost acknowledgement) sends nothing again.
    expect(await runTwilioSend(deps(), jobs[0]!, { retryCount: 1, retryLimit: 5 })).toEqual({ skipped: "sent already" });
    expect(fake.requests().length).toBe(before + 1);

    // Twilio's callbacks, repeated and out of order: queued → sent → delivered, never back.
    const status = async () => (await thread(engagement.id)).find((m) => m.id === sent.id)!.delivery;
    expect(await statusCallback("sms-acme", sid, "sending")).toEqual({ kind: "done" });
    expect(await status()).toEqual({ status: "queued", error: null });
    expect(await statusCallback("sms-acme", sid, "sent")).toEqual({ kind: "done" });
    expect(await status()).toEqual({ status: "sent", error: null });
    await statusCallback("sms-acme", sid, "delivered");
    await statusCallback("sms-acme", sid, "sent");
    await statusCallback("sms-acme", sid, "delivered");
    await statusCallback("sms-acme", sid, "failed", { ErrorCode: "30003" });
    expect(await status()).toEqual({ status: "delivered", error: null });
    // The customer's own message carries no delivery.
    expect((await thread(engagement.id))[0]!.delivery).toBeNull();
    expect(fake.problems()).toEqual([]);
  });

  it("the job is queued in the reply's transaction: a rollback leaves neither the reply nor a job", async () => {
    const { engagement } = await acme.as(acme.agent).messages.ingest({ channel: "sms", handle: "+14155550140", body: "Hi", externalId: inboundSid() });
    const jobCount = async () => rows(await t.owner.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'twilio.send'`))[0]!.n;
    const before = await jobCount();
    await expect(
      withScope(t.app, { tenantId: acme.tenant.id }, async (tx) => {
        const message = await appendReply(tx, await lockedEngagement(tx, engagement.id), { author: { type: "user", id: acme.agent.id, name: "Agent" }, body: "Never sent" });
        expect(message?.deliveryStatus).toBe("queued");
        expect(await jobCount()).toBe(before); // not visible outside the transaction yet
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await jobCount()).toBe(before);
    expect((await thread(engagement.id)).map((m) => m.body)).toEqual(["Hi"]);
  });

  it("WhatsApp: from whatsapp:<sender>, or through the Messaging Service when no WhatsApp sender is set", async () => {
    const a = await reply(acme, "whatsapp", "+4915112345678", "Hallo!");
    await runTwilioSend(deps(), a.jobs[0]!, first);
    expect(fake.requests().at(-1)!.form).toMatchObject({ To: "whatsapp:+4915112345678", From: "whatsapp:+14155550100", Body: "Hallo!" });

    await acme.as(acme.admin).integrations.twilio.set({ accountSid, authToken, messagingServiceSid: serviceSid });
    try {
      const b = await reply(acme, "whatsapp", "+4915112345679", "Hi again");
      const sms = await reply(acme, "sms", "+14155550124", "By SMS");
      await runTwilioSend(deps(), b.jobs[0]!, first);
      expect(fake.requests().at(-1)!.form).toEqual({ To: "whatsapp:+4915112345679", MessagingServiceSid: serviceSid, Body: "Hi again", StatusCallback: callbackUrl("sms-acme") });
      await runTwilioSend(deps(), sms.jobs[0]!, first);
      expect(fake.requests().at(-1)!.form).toEqual({ To: "+14155550124", MessagingServiceSid: serviceSid, Body: "By SMS", StatusCallback: callbackUrl("sms-acme") });
      // A Messaging Service answers `accepted`: still on its way.
      expect((await stored(sms.sent.id)).deliveryStatus).toBe("queued");
    } finally {
      await acme.as(acme.admin).integrations.twilio.set({ accountSid, authToken, fromNumber: "+14155550199", whatsappFrom: "+14155550100" });
    }
    expect(fake.problems()).toEqual([]);
  });

  it("Twilio refusing a number fails the reply at once with Twilio's code and message; a later failure report too", async () => {
    const { engagement, sent, jobs } = await reply(acme, "sms", badNumber, "Hello there");
    const before = fake.requests().length;
    expect(await runTwilioSend(deps(), jobs[0]!, first)).toEqual({ failed: `Twilio error 21211: The 'To' number ${badNumber} is not a valid phone number.` });
    expect(fake.requests().length).toBe(before + 1);
    expect((await thread(engagement.id)).find((m) => m.id === sent.id)!.delivery).toEqual({
      status: "failed",
      error: `Twilio error 21211: The 'To' number ${badNumber} is not a valid phone number.`,
    });
    // Failed is final: a retry of the job sends nothing.
    expect(await runTwilioSend(deps(), jobs[0]!, { retryCount: 1, retryLimit: 5 })).toEqual({ skipped: "delivery is failed" });

    // Accepted, then the carrier could not deliver it: Twilio's callback says so.
    const ok = await reply(acme, "sms", "+14155550125", "Will this arrive?");
    const { sent: sid } = (await runTwilioSend(deps(), ok.jobs[0]!, first)) as { sent: string };
    await statusCallback("sms-acme", sid, "sent");
    await statusCallback("sms-acme", sid, "undelivered", { ErrorCode: "30003" });
    expect((await stored(ok.sent.id)).deliveryError).toBe("Twilio error 30003: see https://www.twilio.com/docs/errors/30003");
    expect((await stored(ok.sent.id)).deliveryStatus).toBe("undelivered");
    await statusCallback("sms-acme", sid, "delivered");
    expect((await stored(ok.sent.id)).deliveryStatus).toBe("undelivered");

    // A scheduled message canceled at Twilio: failed, saying so.
    const later = await reply(acme, "sms", "+14155550133", "Reminder for tomorrow");
    const { sent: laterSid } = (await runTwilioSend(deps(), later.jobs[0]!, first)) as { sent: string };
    await statusCallback("sms-acme", laterSid, "canceled");
    expect(await stored(later.sent.id)).toMatchObject({ deliveryStatus: "failed", deliveryError: "canceled before it was sent" });
  });

  it("5xx, 429 and timeouts are retried by pg-boss (the job throws), then fail the reply on the last attempt", async () => {
    const { sent, jobs } = await reply(acme, "sms", "+14155550126", "Retry me");
    fake.failNext(503);
    await expect(runTwilioSend(deps(), jobs[0]!, first)).rejects.toBeInstanceOf(TwilioSendError);
    fake.failNext(429);
    await expect(runTwilioSend(deps(), jobs[0]!, { retryCount: 1, retryLimit: 5 })).rejects.toBeInstanceOf(TwilioSendError);
    fake.hangNext();
    const started = Date.now();
    await expect(runTwilioSend(deps({ timeoutSeconds: 1 }), jobs[0]!, { retryCount: 2, retryLimit: 5 })).rejects.toThrow("Twilio did not answer within 1 s");
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await stored(sent.id)).deliveryStatus).toBe("queued");
    fake.failNext(500);
    expect(await runTwilioSend(deps(), jobs[0]!, last)).toEqual({ failed: "Twilio error 20500: Internal Server Error (gave up after 6 attempts)" });
    expect(await stored(sent.id)).toMatchObject({ deliveryStatus: "failed", externalId: null });
    // Nothing listens at this port: unreachable is retried like an outage.
    const b = await reply(acme, "sms", "+14155550127", "Anyone?");
    await expect(runTwilioSend(deps({ apiBaseUrl: "http://127.0.0.1:9" }), b.jobs[0]!, first)).rejects.toThrow("Twilio could not be reached");
  });

  it("sends nothing for notes, other channels or a tenant without Twilio; no sender for a channel fails the reply", async () => {
    const { engagement } = await acme.as(acme.agent).messages.ingest({ channel: "sms", handle: "+14155550128", body: "Hi", externalId: inboundSid() });
    const note = await acme.as(acme.agent).messages.note({ engagementId: engagement.id, body: "Customer is a VIP" });
    expect(note.delivery).toBeNull();
    expect(await queued(note.id)).toEqual([]);

    // A number without its country code cannot be texted: failed, saying why, Twilio not called.
    const local = await reply(acme, "sms", "555-0100", "To a local number");
    const calls = fake.requests().length;
    expect(await runTwilioSend(deps(), local.jobs[0]!, first)).toEqual({
      failed: "The customer's number 5550100 is not an international number (+<country code><number>)",
    });
    expect(fake.requests().length).toBe(calls);

    const chat = await reply(acme, "chat", "visitor-7", "Chat reply");
    expect(chat.sent.delivery).toBeNull();
    expect(chat.jobs).toEqual([]);

    const plain = await createTenantWithRoles(t.app, "sms-plain");
    const noTwilio = await reply(plain, "sms", "+14155550129", "Not through Twilio");
    expect(noTwilio.sent.delivery).toBeNull();
    expect(noTwilio.jobs).toEqual([]);

    // Twilio connected, but no WhatsApp sender and no Messaging Service: the reply fails with what to set.
    await plain.as(plain.owner).integrations.twilio.set({ accountSid, authToken, fromNumber: "+14155550199" });
    const before = fake.requests().length;
    const wa = await reply(plain, "whatsapp", "+14155550130", "WhatsApp without a sender");
    expect(await runTwilioSend(deps(), wa.jobs[0]!, first)).toEqual({
      failed: "No WhatsApp sender: set a WhatsApp number or a Messaging Service in the Twilio integration",
    });
    // Disconnected between the reply and the job: failed, nothing sent.
    const sms = await reply(plain, "sms", "+14155550131", "Then disconnected");
    await plain.as(plain.owner).integrations.twilio.delete();
    expect(await runTwilioSend(deps(), sms.jobs[0]!, first)).toEqual({ failed: "Twilio is not connected" });
    expect(fake.requests().length).toBe(before);
  });

  it("isolation: a job naming another tenant's message, or its callback under another tenant, changes nothing", async () => {
    const { sent, jobs } = await reply(acme, "sms", "+14155550132", "Only ours");
    const before = fake.requests().length;
    expect(await runTwilioSend(deps(), { tenantId: other.tenant.id, messageId: sent.id }, first)).toEqual({ skipped: "the message is gone" });
    expect(fake.requests().length).toBe(before);
    expect((await stored(sent.id)).deliveryStatus).toBe("queued");

    const { sent: sid } = (await runTwilioSend(deps(), jobs[0]!, first)) as { sent: string };
    // The other tenant's account signs a delivery report naming acme's SID at its own URL: not found in its scope.
    expect(await statusCallback("sms-other", sid, "failed", { ErrorCode: "30007" }, otherSid, otherToken)).toEqual({ kind: "done" });
    expect((await stored(sent.id)).deliveryStatus).toBe("queued");
    // Signed with the wrong token at acme's URL: refused before anything is read.
    expect(await statusCallback("sms-acme", sid, "failed", {}, accountSid, otherToken)).toEqual({ kind: "forbidden" });
    expect((await stored(sent.id)).deliveryStatus).toBe("queued");
    // Viewers cannot reply at all.
    expect(await codeOf(acme.as(acme.viewer).messages.send({ engagementId: sent.engagementId, body: "x" }))).toBe("FORBIDDEN");
  });
});

describe("through the job runner", () => {
  let runner: JobRunner | undefined;
  afterAll(() => runner?.stop(5000));

  it("an AI agent's answer on WhatsApp goes out through Twilio at once (woken at commit, not polled)", async () => {
    const agentId = (await acme.as(acme.admin).agents.create({ name: "Parcel Bot", type: "chat", configuration: { prompt: "Be brief.", language: "en", greeting: "Hi!" } })).id;
    await acme.as(acme.admin).tenant.update({ aiReplies: { enabled: true, channels: ["whatsapp"], agentId, handoffKeywords: [], maxTurns: 5 } });
    // Polling (30 s) is longer than the test's deadline: both jobs run because their enqueue wakes the runner at commit.
    runner = await startTestJobRunner(t, {
      twilio: { apiBaseUrl: fake.baseUrl, timeoutSeconds: 5, openSecret: (c, ctx) => testAuth(t.app).secrets.open(c, ctx), statusCallbackUrl: callbackUrl },
    });
    const { engagement } = await acme.as(acme.agent).messages.ingest({ channel: "whatsapp", handle: "+4915112340000", body: "Where is my parcel?", externalId: inboundSid() });
    const deadline = Date.now() + 15_000;
    let answer: Awaited<ReturnType<typeof thread>>[number] | undefined;
    while (Date.now() < deadline) {
      answer = (await thread(engagement.id)).find((m) => m.author.type === "ai_agent");
      if (answer?.delivery?.status === "queued" && (await stored(answer.id)).externalId) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(answer).toMatchObject({ author: { name: "Parcel Bot" }, delivery: { status: "queued", error: null } });
    const sid = (await stored(answer!.id)).externalId;
    const request = fake.requests().find((r) => r.sid !== null && r.sid === sid);
    expect(request?.form).toMatchObject({ To: "whatsapp:+4915112340000", From: "whatsapp:+14155550100", Body: answer!.body });
    expect(fake.problems()).toEqual([]);
  }, 30_000);
});
