// Twilio's callbacks over real sockets: POST /hooks/twilio/<slug>/voice and /messages, signed the way Twilio signs
// (the algorithm is checked against Twilio's documented examples in packages/trpc twilio-signature.test.ts).
import { and, count, eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calls, messages, tenants } from "@switchboard/db";
import { twilioSignature } from "@switchboard/trpc";
import pino from "pino";
import { type FakeTwilio, startFakeTwilio } from "@switchboard/jobs/fake-twilio";
import { loadEnv } from "../src/env";
import { startWorker } from "../src/worker";
import { buildTestApp, expectNoLeaks, mutate, query, sessionCookie, type TestApp } from "./helper";
import { rawRequest } from "./http";

let t: TestApp;
let port: number;
let owner: string;
const accountSid = `AC${"1f".repeat(16)}`;
const authToken = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";
const hex = (n: number) => n.toString(16).padStart(32, "0");
let seq = 0;
const callSid = () => `CA${hex(++seq)}`;
const messageSid = () => `SM${hex(++seq)}`;

/** A tenant with Twilio connected; its callback URLs as integrations.twilio.get gives them. */
async function connectedTenant(slug: string, requestsPerMinute: number | null = null) {
  expect((await mutate(t.app, "tenants.create", { name: slug, slug }, { cookie: owner })).statusCode).toBe(200);
  await t.db.owner.db.update(tenants).set({ tier: "enterprise", requestsPerMinute }).where(eq(tenants.slug, slug));
  const host = `${slug}.localhost:3000`;
  const set = await mutate(t.app, "integrations.twilio.set", { accountSid, authToken }, { host, cookie: owner });
  expect(set.statusCode).toBe(200);
  const urls = (await query(t.app, "integrations.twilio.get", undefined, { host, cookie: owner })).json().result.data;
  const [tenant] = await t.db.owner.db.select().from(tenants).where(eq(tenants.slug, slug));
  return { host, tenant: tenant!, voiceUrl: urls.voiceUrl as string, messagesUrl: urls.messagesUrl as string };
}

beforeAll(async () => {
  // 127.0.0.1 (the test client) stands for the ingress: its X-Forwarded-Proto/Host are believed.
  t = await buildTestApp({ TRUST_PROXY: "127.0.0.1", MAX_TENANTS_PER_USER: "100" });
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  port = (t.app.server.address() as { port: number }).port;
  owner = sessionCookie(await mutate(t.app, "auth.register", { email: "twilio@http.test", password: "a long enough password", name: "T" }));
});
afterAll(() => t?.close());

type Form = Record<string, string>;

/** POSTs `form` to `url` (its host as Host), signed for `signedUrl` under `token` unless a signature is given. */
function post(url: string, form: Form, opts: { token?: string; signedUrl?: string; signature?: string | null; headers?: Record<string, string>; body?: string } = {}) {
  const u = new URL(url);
  const signature = opts.signature === undefined ? twilioSignature(opts.token ?? authToken, opts.signedUrl ?? url, Object.entries(form)) : opts.signature;
  return rawRequest(port, {
    path: u.pathname + u.search,
    method: "POST",
    headers: {
      host: u.host,
      "content-type": "application/x-www-form-urlencoded",
      ...(signature === null ? {} : { "x-twilio-signature": signature }),
      ...opts.headers,
    },
    body: opts.body ?? new URLSearchParams(form).toString(),
  });
}

const voice = (sid: string, status: string, extra: Form = {}): Form => ({
  AccountSid: accountSid,
  ApiVersion: "2010-04-01",
  CallSid: sid,
  CallStatus: status,
  Direction: "inbound",
  From: "+14155550101",
  To: "+14155550199",
  ...extra,
});

const sms = (sid: string, extra: Form = {}): Form => ({
  AccountSid: accountSid,
  MessageSid: sid,
  SmsMessageSid: sid,
  From: "+14155550123",
  To: "+14155550199",
  Body: "Is my order on its way?",
  NumMedia: "0",
  SmsStatus: "received",
  ...extra,
});

async function callRows(tenantId: string, sid?: string) {
  return t.db.owner.db
    .select()
    .from(calls)
    .where(and(eq(calls.tenantId, tenantId), sid ? eq(calls.idempotencyKey, sid) : undefined));
}

async function written(tenantId: string) {
  const [c] = await t.db.owner.db.select({ n: count() }).from(calls).where(eq(calls.tenantId, tenantId));
  const [m] = await t.db.owner.db.select({ n: count() }).from(messages).where(eq(messages.tenantId, tenantId));
  return { calls: c!.n, messages: m!.n };
}

describe("POST /hooks/twilio/<slug>/voice", () => {
  it("creates the call on its first status callback and moves it forward, once per CallSid, whatever the order", async () => {
    const { host, tenant, voiceUrl } = await connectedTenant("tw-voice");
    expect(voiceUrl).toBe("http://tw-voice.localhost:3000/hooks/twilio/tw-voice/voice");
    const sid = callSid();
    const outbound = { Direction: "outbound-api", From: "+14155550199", To: "+14155550102" };
    const ringing = await post(voiceUrl, voice(sid, "ringing", { ...outbound, Timestamp: new Date(Date.now() - 30_000).toUTCString() }));
    expect(ringing.status).toBe(200);
    expect(ringing.headers["content-type"]).toMatch(/^text\/xml/);
    expect(ringing.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    for (const status of ["in-progress", "in-progress"]) expect((await post(voiceUrl, voice(sid, status, outbound))).status).toBe(200);
    let [row] = await callRows(tenant.id, sid);
    expect(row).toMatchObject({ status: "in_progress", direction: "outbound", customerPhone: "+14155550102", endedAt: null });

    expect((await post(voiceUrl, voice(sid, "completed", { ...outbound, CallDuration: "25" }))).status).toBe(200);
    // Late and retried callbacks change nothing: an ended call stays as it ended.
    for (const status of ["ringing", "in-progress", "completed", "busy"]) expect((await post(voiceUrl, voice(sid, status, outbound))).status).toBe(200);
    const rows = await callRows(tenant.id, sid);
    expect(rows).toHaveLength(1);
    [row] = rows;
    expect(row!.status).toBe("completed");
    expect(row!.durationSeconds).toBeGreaterThanOrEqual(29);
    expect(row!.durationSeconds).toBeLessThan(60);

    // The contract's view of it, through the API.
    const listed = (await query(t.app, "calls.list", { limit: 10 }, { host, cookie: owner })).json().result.data.items;
    expect(listed).toEqual([expect.objectContaining({ id: row!.id, status: "completed", direction: "outbound", customerPhone: "+14155550102" })]);
  });

  it("maps every CallStatus to the contract's statuses; a call first seen ended lasts Twilio's CallDuration", async () => {
    const { tenant, voiceUrl } = await connectedTenant("tw-status");
    const cases: [string, string][] = [
      ["queued", "queued"],
      ["initiated", "queued"],
      ["ringing", "ringing"],
      ["in-progress", "in_progress"],
      ["completed", "completed"],
      ["busy", "missed"],
      ["no-answer", "missed"],
      ["canceled", "missed"],
      ["failed", "failed"],
    ];
    for (const [twilio, ours] of cases) {
      const sid = callSid();
      const res = await post(voiceUrl, voice(sid, twilio, twilio === "completed" ? { CallDuration: "42", Timestamp: new Date().toUTCString() } : {}));
      expect(res.status, `${twilio} → ${res.body}`).toBe(200);
      const [row] = await callRows(tenant.id, sid);
      expect(row!.status, twilio).toBe(ours);
      expect(row!.direction).toBe("inbound");
      expect(row!.customerPhone).toBe("+14155550101");
      if (twilio === "completed") expect(row!.durationSeconds).toBe(42);
      if (["completed", "busy", "no-answer", "canceled", "failed"].includes(twilio)) expect(row!.endedAt).not.toBeNull();
      else expect(row!.endedAt).toBeNull();
    }
    // A <Dial>ed leg (to an agent's phone) belongs to its parent call: answered, not recorded as a call of its own.
    const before = (await callRows(tenant.id)).length;
    expect((await post(voiceUrl, voice(callSid(), "completed", { ParentCallSid: callSid(), Direction: "outbound-dial", CallDuration: "3" }))).status).toBe(200);
    expect(await callRows(tenant.id)).toHaveLength(before);
    expect((await post(voiceUrl, voice(callSid(), "ringing-ish"))).status).toBe(400);
    expect((await post(voiceUrl, voice("CA123", "ringing"))).status).toBe(400);
    expect((await post(voiceUrl, voice(callSid(), "ringing", { From: "client:alice" }))).status).toBe(400);
  });
});

describe("POST /hooks/twilio/<slug>/messages", () => {
  it("turns an inbound SMS into a conversation on the sms channel, once per MessageSid; the next one joins it", async () => {
    const { host, tenant, messagesUrl } = await connectedTenant("tw-sms");
    const sid = messageSid();
    for (let i = 0; i < 2; i++) {
      const res = await post(messagesUrl, sms(sid));
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/xml/);
      expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    }
    expect((await post(messagesUrl, sms(messageSid(), { Body: "Order 1234" }))).status).toBe(200);
    const list = (await query(t.app, "engagements.list", { channel: "sms" }, { host, cookie: owner })).json().result.data.items;
    expect(list).toEqual([expect.objectContaining({ channel: "sms", customer: "+14155550123", status: "new" })]);
    const thread = (await query(t.app, "messages.list", { engagementId: list[0].id }, { host, cookie: owner })).json().result.data.items;
    expect(thread.map((m: { kind: string; author: { type: string }; body: string }) => [m.kind, m.author.type, m.body])).toEqual([
      ["inbound", "customer", "Is my order on its way?"],
      ["inbound", "customer", "Order 1234"],
    ]);
    // A delivery report naming a SID that is none of this tenant's replies: answered, nothing stored.
    const report = { AccountSid: accountSid, MessageSid: messageSid(), MessageStatus: "delivered", SmsStatus: "delivered", From: "+14155550199", To: "+14155550123" };
    expect((await post(messagesUrl, report)).status).toBe(200);
    expect(await written(tenant.id)).toEqual({ calls: 0, messages: 2 });
  });

  it("WhatsApp (From whatsapp:+…) goes to the whatsapp channel under the profile name; media arrive as links", async () => {
    const { host, messagesUrl } = await connectedTenant("tw-wa");
    const res = await post(messagesUrl, sms(messageSid(), { From: "whatsapp:+447700900123", To: "whatsapp:+14155550199", ProfileName: "Ada L", WaId: "447700900123" }));
    expect(res.status).toBe(200);
    const media = await post(
      messagesUrl,
      sms(`MM${hex(++seq)}`, { From: "whatsapp:+447700900123", Body: "", NumMedia: "1", MediaUrl0: "https://api.twilio.com/2010-04-01/Accounts/x/Messages/y/Media/z", MediaContentType0: "image/jpeg" }),
    );
    expect(media.status).toBe(200);
    const list = (await query(t.app, "engagements.list", { channel: "whatsapp" }, { host, cookie: owner })).json().result.data.items;
    expect(list).toEqual([expect.objectContaining({ channel: "whatsapp", customer: "+447700900123" })]);
    const thread = (await query(t.app, "messages.list", { engagementId: list[0].id }, { host, cookie: owner })).json().result.data.items;
    expect(thread.map((m: { author: { name: string }; body: string }) => [m.author.name, m.body])).toEqual([
      ["Ada L", "Is my order on its way?"],
      ["Ada L", "Attachment (image/jpeg): https://api.twilio.com/2010-04-01/Accounts/x/Messages/y/Media/z"],
    ]);
  });
});

describe("Twilio's retries, at once", () => {
  it("callbacks for one call racing each other leave one call at its furthest status; a doubled SMS is stored once", async () => {
    const { tenant, voiceUrl, messagesUrl } = await connectedTenant("tw-race");
    for (let round = 0; round < 6; round++) {
      const sid = callSid();
      const statuses = ["ringing", "in-progress", "completed", "in-progress", "ringing", "completed", "in-progress", "in-progress"];
      const answers = await Promise.all(statuses.map((s) => post(voiceUrl, voice(sid, s, s === "completed" ? { CallDuration: "5" } : {}))));
      expect(answers.map((a) => a.status)).toEqual(statuses.map(() => 200));
      const rows = await callRows(tenant.id, sid);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe("completed");
      expect(rows[0]!.endedAt).not.toBeNull();

      const form = sms(messageSid(), { From: `+1415555020${round}` });
      expect((await Promise.all([1, 2, 3].map(() => post(messagesUrl, form)))).map((a) => a.status)).toEqual([200, 200, 200]);
      const stored = await t.db.owner.db.select().from(messages).where(and(eq(messages.tenantId, tenant.id), eq(messages.externalId, form.MessageSid!)));
      expect(stored).toHaveLength(1);
    }
  });
});

describe("who may call", () => {
  it("a missing or wrong signature, another tenant's URL or another account is 403 and writes nothing", async () => {
    const { tenant, voiceUrl, messagesUrl } = await connectedTenant("tw-sig");
    const other = await connectedTenant("tw-sig-other");
    const refused = [
      await post(voiceUrl, voice(callSid(), "ringing"), { signature: null }),
      await post(voiceUrl, voice(callSid(), "ringing"), { signature: "" }),
      await post(voiceUrl, voice(callSid(), "ringing"), { signature: "not base64 at all" }),
      await post(voiceUrl, voice(callSid(), "ringing"), { token: "f".repeat(32) }),
      await post(messagesUrl, sms(messageSid()), { signedUrl: other.messagesUrl }),
      await post(messagesUrl, sms(messageSid()), { signedUrl: voiceUrl }),
      await post(`${messagesUrl}?x=1`, sms(messageSid()), { signedUrl: messagesUrl }),
      // Signed, then a field changed on the way.
      await post(messagesUrl, sms(messageSid()), { body: new URLSearchParams({ ...sms(messageSid()), Body: "changed" }).toString() }),
      // Signed with this tenant's token, but for another Twilio account.
      await post(messagesUrl, sms(messageSid(), { AccountSid: `AC${"2e".repeat(16)}` })),
    ];
    for (const res of refused) {
      expect(res.status).toBe(403);
      expect(res.body).toBe("Invalid signature");
    }
    expect(await written(tenant.id)).toEqual({ calls: 0, messages: 0 });
  });

  it("an unknown slug, a tenant without Twilio and a suspended tenant get the same 404", async () => {
    const { voiceUrl } = await connectedTenant("tw-gone");
    expect((await mutate(t.app, "tenants.create", { name: "Plain", slug: "tw-plain" }, { cookie: owner })).statusCode).toBe(200);
    await t.db.owner.db.update(tenants).set({ status: "suspended" }).where(eq(tenants.slug, "tw-gone"));
    const answers = [];
    for (const slug of ["tw-gone", "tw-plain", "tw-nobody", "NOT_A_SLUG"]) {
      const url = voiceUrl.replace(/tw-gone/g, slug);
      answers.push(await post(url, voice(callSid(), "ringing")));
    }
    expect(answers.map((a) => [a.status, a.body])).toEqual(Array(4).fill([404, "Not found"]));
  });

  it("behind the ingress: the URL Twilio signed is rebuilt from X-Forwarded-Proto/Host of a trusted proxy", async () => {
    const { tenant, messagesUrl } = await connectedTenant("tw-proxy");
    const publicUrl = "https://tw-proxy.localhost/hooks/twilio/tw-proxy/messages";
    const form = sms(messageSid());
    const behind = { "x-forwarded-proto": "https", "x-forwarded-host": "tw-proxy.localhost" };
    // The ingress forwards to the pod over http on another host name.
    const internal = messagesUrl.replace("tw-proxy.localhost:3000", "api.internal:3000");
    expect((await post(internal, form, { signedUrl: publicUrl })).status).toBe(403);
    expect((await post(internal, form, { signedUrl: publicUrl, headers: behind })).status).toBe(200);
    // Twilio's libraries accept the default port written out; so does this check.
    expect((await post(internal, sms(messageSid()), { signedUrl: publicUrl.replace("localhost/", "localhost:443/"), headers: behind })).status).toBe(200);
    expect(await written(tenant.id)).toEqual({ calls: 0, messages: 2 });
  });
});

describe("load and input", () => {
  it("draws from the tenant's request budget: over it, 429 with Retry-After and nothing written", async () => {
    // Start well inside a minute: the budget is counted in one-minute windows.
    if (Date.now() % 60_000 > 50_000) await new Promise((r) => setTimeout(r, 61_000 - (Date.now() % 60_000)));
    // 5 a minute: integrations.twilio.set and .get spend 2 of them.
    const { tenant, messagesUrl } = await connectedTenant("tw-budget", 5);
    const before = await written(tenant.id);
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof post>> | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await post(messagesUrl, sms(messageSid()));
      statuses.push(res.status);
      if (res.status === 429) refused = res;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(refused!.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    const accepted = statuses.filter((s) => s === 200).length;
    expect((await written(tenant.id)).messages - before.messages).toBe(accepted);
  }, 90_000);

  it("refuses bodies Twilio never sends: too large, not a form, NUL bytes", async () => {
    const { tenant, voiceUrl, messagesUrl } = await connectedTenant("tw-input");
    const big = sms(messageSid(), { Body: "x".repeat(70 * 1024) });
    expect((await post(messagesUrl, big)).status).toBe(413);
    const asJson = await post(messagesUrl, sms(messageSid()), { headers: { "content-type": "application/json" }, body: JSON.stringify(sms(messageSid())) });
    expect(asJson.status).toBe(415);
    expect((await post(messagesUrl, sms(messageSid(), { Body: "a\u0000b" }))).status).toBe(400);
    expect((await post(voiceUrl, voice(callSid(), "ringing", { From: "\ud800" }))).status).toBe(400);
    expect(await written(tenant.id)).toEqual({ calls: 0, messages: 0 });
  });

  it("answers generated unsigned requests (any body, content type, signature) with 4xx, never a 5xx", async () => {
    const { tenant, voiceUrl } = await connectedTenant("tw-junk");
    const body = fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.constant("a=%zz&&=&b"), fc.constant("CallSid=%00"));
    const type = fc.constantFrom("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "text/plain", "application/json", "multipart/form-data; boundary=x", "");
    const signature = fc.oneof(fc.constant(null), fc.string({ maxLength: 40 }), fc.constant("0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
    await fc.assert(
      fc.asyncProperty(body, type, signature, async (b, ct, sig) => {
        const res = await post(voiceUrl, {}, { body: b, signature: sig, headers: ct ? { "content-type": ct } : {} });
        expect(res.status, `${ct} ${JSON.stringify(b).slice(0, 80)} → ${res.body}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expectNoLeaks(res.body);
      }),
      { numRuns: 80 },
    );
    expect(await written(tenant.id)).toEqual({ calls: 0, messages: 0 });
  }, 120_000);

  it("answers generated signed forms with 2xx/4xx, never a 5xx or internals", async () => {
    const { voiceUrl, messagesUrl } = await connectedTenant("tw-fuzz");
    const value = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom("", "\u0000", "whatsapp:", "whatsapp:+1", "+14155550100", "-1", "99999999999", "in-progress", "completed", "delivered", "failed", "x".repeat(400)),
    );
    const field = fc.constantFrom("AccountSid", "CallSid", "CallStatus", "Direction", "From", "To", "CallDuration", "Timestamp", "MessageSid", "Body", "NumMedia", "MediaUrl0", "ProfileName", "MessageStatus", "ErrorCode");
    await fc.assert(
      fc.asyncProperty(fc.dictionary(field, value, { maxKeys: 8 }), fc.boolean(), async (extra, isVoice) => {
        const base = isVoice ? voice(callSid(), "ringing") : sms(messageSid());
        const res = await post(isVoice ? voiceUrl : messagesUrl, { ...base, ...extra });
        expect(res.status, `${JSON.stringify(extra)} → ${res.body}`).toBeLessThan(500);
        expectNoLeaks(res.body);
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

describe("replies out through Twilio", () => {
  let fake: FakeTwilio;
  beforeAll(async () => {
    fake = await startFakeTwilio({ accounts: { [accountSid]: authToken } });
  });
  afterAll(() => fake?.close());

  it("the worker sends an SMS reply to TWILIO_API_BASE_URL; Twilio's signed delivery reports show in messages.list", async () => {
    const { host, messagesUrl } = await connectedTenant("tw-out");
    const senders = { accountSid, authToken, fromNumber: "+14155550199" };
    expect((await mutate(t.app, "integrations.twilio.set", senders, { host, cookie: owner })).json().result.data).toMatchObject({ fromNumber: "+14155550199" });
    expect((await post(messagesUrl, sms(messageSid()))).status).toBe(200);
    const engagementId = (await query(t.app, "engagements.list", { channel: "sms" }, { host, cookie: owner })).json().result.data.items[0].id as string;
    const sent = (await mutate(t.app, "messages.send", { engagementId, body: "It left the depot this morning." }, { host, cookie: owner })).json().result.data;
    expect(sent.delivery).toEqual({ status: "queued", error: null });

    const env = loadEnv({ LOG_LEVEL: "silent", TWILIO_API_BASE_URL: fake.baseUrl, ...(t.db.appUrl ? { DATABASE_URL: t.db.appUrl } : {}) });
    const worker = await startWorker(env, t.db.app, pino({ level: "silent" }));
    try {
      for (const end = Date.now() + 20_000; fake.requests().length === 0 && Date.now() < end; ) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await worker?.stop(2000);
    }
    const [request] = fake.requests();
    // The status callback is the URL integrations.twilio.get shows, so Twilio's reports pass the signature check.
    expect(request!.form).toEqual({ To: "+14155550123", From: "+14155550199", Body: "It left the depot this morning.", StatusCallback: messagesUrl });
    expect(fake.problems()).toEqual([]);

    const delivery = async () =>
      (await query(t.app, "messages.list", { engagementId }, { host, cookie: owner })).json().result.data.items.find((m: { id: string }) => m.id === sent.id).delivery;
    const report = (status: string, extra: Form = {}): Form => ({ AccountSid: accountSid, MessageSid: request!.sid!, SmsSid: request!.sid!, MessageStatus: status, SmsStatus: status, From: "+14155550199", To: "+14155550123", ...extra });
    expect((await post(messagesUrl, report("sent"))).status).toBe(200);
    expect(await delivery()).toEqual({ status: "sent", error: null });
    // Unsigned or wrongly signed: 403 and nothing changes.
    expect((await post(messagesUrl, report("failed", { ErrorCode: "30008" }), { signature: null })).status).toBe(403);
    expect((await post(messagesUrl, report("failed", { ErrorCode: "30008" }), { token: "f".repeat(32) })).status).toBe(403);
    expect(await delivery()).toEqual({ status: "sent", error: null });
    expect((await post(messagesUrl, report("delivered"))).status).toBe(200);
    expect((await post(messagesUrl, report("sent"))).status).toBe(200);
    expect(await delivery()).toEqual({ status: "delivered", error: null });
  }, 60_000);

  it("TWILIO_API_BASE_URL: Twilio's by default; a URL; https in production", () => {
    const prod = { NODE_ENV: "production", ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"), SMTP_URL: "smtp://mail.example.com:587" };
    expect(loadEnv({}).TWILIO_API_BASE_URL).toBe("https://api.twilio.com");
    expect(loadEnv({ TWILIO_API_BASE_URL: "" }).TWILIO_API_BASE_URL).toBe("https://api.twilio.com");
    expect(loadEnv({ TWILIO_API_BASE_URL: "http://127.0.0.1:4010/" }).TWILIO_API_BASE_URL).toBe("http://127.0.0.1:4010");
    expect(loadEnv({ ...prod, TWILIO_API_BASE_URL: "https://twilio-proxy.internal" }).TWILIO_API_BASE_URL).toBe("https://twilio-proxy.internal");
    expect(() => loadEnv({ ...prod, TWILIO_API_BASE_URL: "http://twilio-proxy.internal" })).toThrow(/TWILIO_API_BASE_URL: must be https/);
    for (const bad of ["api.twilio.com", "ftp://api.twilio.com", "https://user:pw@api.twilio.com", "https://api.twilio.com/?x=1"]) {
      expect(() => loadEnv({ TWILIO_API_BASE_URL: bad }), bad).toThrow(/TWILIO_API_BASE_URL/);
    }
  });
});
