// Generated bad input for every procedure's input schema, through HTTP: only 4xx (or 2xx when the input happens
// to be valid), never 5xx, and no stack traces or SQL in any body. Strings carry U+0000 and lone UTF-16 surrogates
// too: the input layer refuses those (BAD_REQUEST naming the path) for every procedure, whatever its schema.
import fc from "fast-check";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dataExports, engagements, tenants } from "@switchboard/db";
import { appRouter, csatSurveyUrl } from "@switchboard/trpc";
import { buildTestApp, expectNoLeaks, mutate, query, sessionCookie, type TestApp } from "./helper";

let t: TestApp;
let owner: string;
const host = "fuzz-co.localhost:3000";

interface ProcedureDef {
  _def: { type: "query" | "mutation" | "subscription"; inputs: z.ZodType[] };
}
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, ProcedureDef>);

/** The top-level property names a procedure's input accepts (to generate near-miss objects). */
function inputKeys(def: ProcedureDef): string[] {
  const schema = def._def.inputs[0];
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as { properties?: Record<string, unknown> };
  return Object.keys(json.properties ?? {});
}

const nasty = fc.constantFrom(
  "\u0000",
  "a\u0000b",
  "'; drop table tenants; --",
  "<script>alert(1)</script>",
  "x".repeat(3000),
  "00000000-0000-0000-0000-000000000000",
  "2030-13-45T99:99:99Z",
  "-1",
  "NaN",
  "__proto__",
  "sk_AAAA",
  "e30",
  -1,
  0,
  1e308,
  -0,
  Number.MAX_SAFE_INTEGER + 2,
  true,
  null,
  [],
  {},
);
/** A string with a NUL or a lone surrogate somewhere in it. */
const tainted = fc
  .tuple(fc.string({ maxLength: 10 }), fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff", "\ud83d"), fc.string({ maxLength: 10 }))
  .map(([a, bad, b]) => a + bad + b);
const value = fc.oneof(
  nasty,
  tainted,
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: "binary", maxLength: 50 }),
  // Deeper down: the rule holds at any depth, in arrays and in property names.
  fc.array(fc.oneof(tainted, fc.string()), { maxLength: 3 }),
  fc.dictionary(fc.oneof(fc.string({ maxLength: 5 }), tainted), fc.oneof(tainted, fc.jsonValue({ maxDepth: 2 })), { maxKeys: 3 }),
);

/** True when some string or key anywhere in `v` has a NUL or a lone surrogate. */
function isTainted(v: unknown): boolean {
  // eslint-disable-next-line no-control-regex
  const bad = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  if (typeof v === "string") return bad.test(v);
  if (Array.isArray(v)) return v.some(isTainted);
  if (v && typeof v === "object") return Object.entries(v).some(([k, x]) => bad.test(k) || isTainted(x));
  return false;
}

function inputFor(keys: string[]) {
  const known = keys.length > 0 ? fc.constantFrom(...keys) : fc.constant("id");
  return fc.oneof(
    value,
    fc.dictionary(fc.oneof(known, fc.constantFrom("__proto__", "constructor", "tenantId", "role")), value, { maxKeys: 5 }),
    keys.length > 0 ? fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] }) : value,
  );
}

beforeAll(async () => {
  // The per-address limit of the open auth procedures would answer most generated calls 429 before their input
  // is looked at (and refuse the sign-in the logout case needs): off here, tested in auth's own tests.
  t = await buildTestApp({ AUTH_RATE_LIMIT_PER_MINUTE: "0" });
  owner = sessionCookie(await mutate(t.app, "auth.register", { email: "fuzz@http.test", password: "a long enough password", name: "F" }));
  await mutate(t.app, "tenants.create", { name: "Fuzz Co", slug: "fuzz-co" }, { cookie: owner });
  // Enough request budget for the generated calls.
  await t.db.owner.db.update(tenants).set({ tier: "enterprise" }).where(eq(tenants.slug, "fuzz-co"));
});
afterAll(() => t?.close());

describe("generated bad input", () => {
  it("covers every procedure", () => {
    expect(procedures.length).toBeGreaterThanOrEqual(20);
  });

  it.each(procedures.filter(([, p]) => p._def.type !== "subscription").map(([path, p]) => [path, p] as const))(
    "%s answers 2xx/4xx without internals",
    async (path, def) => {
      // Signing out or changing the password would end the session the other calls use.
      const cookie = path === "auth.logout" || path === "auth.changePassword"
        ? sessionCookie(await mutate(t.app, "auth.login", { email: "fuzz@http.test", password: "a long enough password" }))
        : owner;
      await fc.assert(
        fc.asyncProperty(inputFor(inputKeys(def)), async (input) => {
          const res =
            def._def.type === "query"
              ? await query(t.app, path, input, { host, cookie })
              : await mutate(t.app, path, input, { host, cookie });
          const what = `${path} ${JSON.stringify(input)?.slice(0, 200)} → ${res.body.slice(0, 200)}`;
          expect(res.statusCode, what).toBeLessThan(500);
          if (isTainted(input)) expect(res.statusCode, what).toBe(400);
          expectNoLeaks(res.body);
        }),
        { numRuns: 40 },
      );
    },
  );
});

describe("U+0000 and lone surrogates, one rule for every procedure", () => {
  const send = (path: string, def: ProcedureDef, input: unknown) =>
    def._def.type === "query" ? query(t.app, path, input, { host, cookie: owner }) : mutate(t.app, path, input, { host, cookie: owner });

  it.each(procedures.filter(([, p]) => p._def.type !== "subscription").map(([path, p]) => [path, p] as const))(
    "%s: BAD_REQUEST naming the field, for a NUL and for a lone surrogate, at the top and nested",
    async (path, def) => {
      const key = inputKeys(def)[0] ?? "id";
      const cases: [unknown, string, RegExp][] = [
        [{ [key]: "a\u0000b" }, key, /U\+0000/],
        [{ [key]: "a\ud800b" }, key, /surrogate/],
        [{ [key]: { deep: ["fine", "x\udfff"] } }, `${key}.deep.1`, /surrogate/],
        [{ [`${key}\u0000`]: 1 }, `${key}\\u0000`, /Property names/],
      ];
      for (const [input, field, message] of cases) {
        const res = await send(path, def, input);
        expect(res.statusCode, `${path} ${JSON.stringify(input)} → ${res.body}`).toBe(400);
        const error = res.json().error;
        expect(error.data.issues).toEqual([{ path: field, message: expect.stringMatching(message) }]);
        expect(error.message).toContain(field);
      }
    },
  );

  it("refuses a tainted call inside a batch and answers the others", async () => {
    const input = encodeURIComponent(JSON.stringify({ 0: { limit: 1 }, 1: { status: "new\u0000" } }));
    const res = await t.app.inject({ method: "GET", url: `/trpc/leads.list,leads.list?batch=1&input=${input}`, headers: { host, cookie: owner } });
    const [ok, refused] = res.json();
    expect(ok.result.data.items).toEqual([]);
    expect(refused.error.data).toMatchObject({ code: "BAD_REQUEST", issues: [{ path: "status" }] });
  });

  it.each(procedures.filter(([, p]) => p._def.type === "subscription").map(([path]) => path))(
    "subscription %s: the stream's only event is BAD_REQUEST",
    async (path) => {
      const res = await query(t.app, path, { x: "a\u0000" }, { host, cookie: owner, headers: { accept: "text/event-stream" } });
      expect(res.body).toMatch(/event: serialized-error\ndata: .*"BAD_REQUEST"/);
    },
  );

  it("the text is stored unchanged when it is clean (astral characters are proper pairs)", async () => {
    const res = await mutate(t.app, "leads.create", { name: "Zoë 😀 李" }, { host, cookie: owner });
    expect(res.statusCode).toBe(200);
    expect(res.json().result.data.name).toBe("Zoë 😀 李");
  });
});

// --- H3 ---
describe("the customer survey pages (/csat/<token>) with generated bad input", () => {
  it("answer every token, body and content type with a 2xx/4xx page, never a 5xx or internals", async () => {
    const created = await mutate(t.app, "engagements.create", { channel: "email", customer: "fuzz@customer.test", message: "Hi" }, { host, cookie: owner });
    const id = created.json().result.data.id as string;
    await mutate(t.app, "engagements.updateStatus", { id, status: "resolved" }, { host, cookie: owner });
    const [row] = await t.db.owner.db.select().from(engagements).where(eq(engagements.id, id));
    const valid = csatSurveyUrl({ secrets: t.app.auth.secrets, baseUrl: "" }, row!)!.slice("/csat/".length);
    const token = fc.oneof(fc.constant(valid), fc.string({ maxLength: 80 }), tainted, nasty.map(String), fc.constant(`${valid}x`));
    const form = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.dictionary(fc.constantFrom("rating", "comment", "rating[]", "__proto__", "x"), fc.oneof(tainted, nasty.map(String), fc.string({ maxLength: 30 })), { maxKeys: 4 }).map(
        (d) => new URLSearchParams(Object.entries(d)).toString(),
      ),
    );
    const contentType = fc.constantFrom("application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=utf-8", "text/plain", "application/json", "multipart/form-data; boundary=x", "");
    await fc.assert(
      fc.asyncProperty(token, form, contentType, fc.boolean(), async (tok, body, type, isPost) => {
        // Every byte percent-encoded (a lone surrogate becomes U+FFFD's bytes, as a browser would send it).
        const url = `/csat/${[...Buffer.from(tok, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("")}`;
        const res = await t.app.inject({
          method: isPost ? "POST" : "GET",
          url,
          headers: { host, ...(isPost && type ? { "content-type": type } : {}) },
          ...(isPost ? { payload: body } : {}),
        });
        const what = `${isPost ? "POST" : "GET"} ${url.slice(0, 100)} ${type} ${body.slice(0, 100)} → ${res.statusCode} ${res.body.slice(0, 200)}`;
        expect(res.statusCode, what).toBeLessThan(500);
        expectNoLeaks(res.body);
      }),
      { numRuns: 150 },
    );
  }, 120_000); // 150 HTTP round trips: generous for a loaded CI machine
});


// --- H3 (issue 14) ---
describe("AI replies settings and providers with bad input", () => {
  it("tenant.update aiReplies, agents' provider and integrations.ai.set refuse bad values with 400 naming the field", async () => {
    const agent = await mutate(t.app, "agents.create", { name: "Fuzz Bot", type: "chat", configuration: { prompt: "p", language: "en" } }, { host, cookie: owner });
    const agentId = agent.json().result.data.id as string;
    const ai = { enabled: true, channels: ["chat"], agentId, handoffKeywords: ["human"], maxTurns: 3 };
    const cases: [string, unknown, string][] = [
      ["tenant.update", { aiReplies: { ...ai, channels: ["carrier-pigeon"] } }, "aiReplies.channels.0"],
      ["tenant.update", { aiReplies: { ...ai, maxTurns: 1e9 } }, "aiReplies.maxTurns"],
      ["tenant.update", { aiReplies: { ...ai, handoffKeywords: "human" } }, "aiReplies.handoffKeywords"],
      ["tenant.update", { aiReplies: { ...ai, agentId: "x" } }, "aiReplies.agentId"],
      ["tenant.update", { aiReplies: { ...ai, extra: true } }, "aiReplies"],
      ["agents.create", { name: "P", type: "chat", configuration: { prompt: "p", language: "en", provider: { model: "m", baseUrl: "https://127.0.0.1/v1" } } }, "provider.baseUrl"],
      ["agents.create", { name: "P", type: "chat", configuration: { prompt: "p", language: "en", provider: { model: "m", baseUrl: "javascript:alert(1)" } } }, "configuration.provider.baseUrl"],
      ["agents.create", { name: "P", type: "chat", configuration: { prompt: "p", language: "en", provider: { model: "a b" } } }, "configuration.provider.model"],
      ["integrations.ai.set", { apiKey: "with space" }, "apiKey"],
      ["integrations.ai.set", { apiKey: "x".repeat(501) }, "apiKey"],
    ];
    for (const [path, input, field] of cases) {
      const res = await mutate(t.app, path, input, { host, cookie: owner });
      expect(res.statusCode, `${path} ${JSON.stringify(input)} → ${res.body}`).toBe(400);
      expect(res.body).toContain(field);
      expectNoLeaks(res.body);
    }
  });
});

// --- H1 (issue 14) ---
describe("webhooks with bad input", () => {
  it("webhooks.* refuse bad values with 400 naming the field, and refused addresses with 400 saying why", async () => {
    const cases: [string, "mutation" | "query", unknown, string][] = [
      ["webhooks.create", "mutation", { url: "https://93.184.216.34/", events: ["nope"] }, "events"],
      ["webhooks.create", "mutation", { url: "https://93.184.216.34/", events: [] }, "events"],
      ["webhooks.create", "mutation", { url: "https://93.184.216.34/", events: ["ping", "ping"] }, "events"],
      ["webhooks.create", "mutation", { url: `https://93.184.216.34/${"a".repeat(2100)}`, events: ["ping"] }, "url"],
      ["webhooks.create", "mutation", { url: "https://93.184.216.34/", events: ["ping"], description: "d".repeat(201) }, "description"],
      ["webhooks.create", "mutation", { url: "https://93.184.216.34/", events: ["ping"], secret: "whsec_mine" }, "secret"],
      ["webhooks.create", "mutation", { url: "https://10.0.0.1/", events: ["ping"] }, "private address"],
      ["webhooks.create", "mutation", { url: "https://[::ffff:169.254.169.254]/", events: ["ping"] }, "link-local"],
      ["webhooks.update", "mutation", { id: "not-a-uuid", enabled: true }, "id"],
      ["webhooks.redeliver", "mutation", { deliveryId: 42 }, "deliveryId"],
      ["webhooks.deliveries", "query", { webhookId: "00000000-0000-0000-0000-000000000000", status: "lost" }, "status"],
      ["webhooks.deliveries", "query", { webhookId: "00000000-0000-0000-0000-000000000000", limit: 1000 }, "limit"],
    ];
    for (const [path, kind, input, field] of cases) {
      const res = kind === "mutation" ? await mutate(t.app, path, input, { host, cookie: owner }) : await query(t.app, path, input, { host, cookie: owner });
      expect(res.statusCode, `${path} ${JSON.stringify(input).slice(0, 100)} → ${res.body.slice(0, 300)}`).toBe(400);
      expect(res.body).toContain(field);
      expectNoLeaks(res.body);
    }
  });
});

// --- H7 (issue 14) ---
describe("Twilio senders with bad input", () => {
  it("integrations.twilio.set refuses malformed senders with 400 naming the field", async () => {
    const creds = { accountSid: `AC${"5b".repeat(16)}`, authToken: "0123456789abcdef0123456789abcdef" };
    const cases: [unknown, string][] = [
      [{ ...creds, fromNumber: "415 555 0199" }, "fromNumber"],
      [{ ...creds, fromNumber: "+1415555019912345" }, "fromNumber"],
      [{ ...creds, whatsappFrom: "whatsapp:+14155550100" }, "whatsappFrom"],
      [{ ...creds, messagingServiceSid: "MG1" }, "messagingServiceSid"],
      [{ ...creds, fromNumber: "+14155550199", messagingServiceSid: `MG${"0".repeat(32)}` }, "messagingServiceSid"],
      [{ ...creds, fromNumber: 14155550199 }, "fromNumber"],
    ];
    for (const [input, field] of cases) {
      const res = await mutate(t.app, "integrations.twilio.set", input, { host, cookie: owner });
      expect(res.statusCode, `${JSON.stringify(input)} → ${res.body}`).toBe(400);
      expect(res.body).toContain(field);
      expectNoLeaks(res.body);
    }
  });
});

// --- H1 ---
describe("signed download links (/exports/<id>/download, /audit/export.csv) with generated bad input", () => {
  it("answer every id, token and Range with 2xx/4xx, never a 5xx or internals", async () => {
    const created = await mutate(t.app, "exports.create", { kinds: ["calls"], format: "csv" }, { host, cookie: owner });
    const id = created.json().result.data.id as string;
    // Ready by hand with no file behind it: a genuine link answers 410.
    await t.db.owner.db
      .update(dataExports)
      .set({ status: "ready", storageKey: `00000000-0000-0000-0000-000000000000/${id}.csv.gz` })
      .where(eq(dataExports.id, id));
    const link = (await mutate(t.app, "exports.download", { id }, { host, cookie: owner })).json().result.data.url as string;
    const valid = link.split("token=")[1]!;
    const auditLink = (await mutate(t.app, "audit.export", {}, { host, cookie: owner })).json().result.data.url as string;
    const enc = (s: string) => [...Buffer.from(s, "utf8")].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
    const token = fc.oneof(fc.constant(valid), fc.constant(auditLink.split("token=")[1]!), fc.string({ maxLength: 80 }), tainted, nasty.map(String), fc.constant(`${valid}x`));
    const exportId = fc.oneof(fc.constant(id), fc.uuid(), nasty.map(String), fc.string({ maxLength: 40 }));
    const range = fc.oneof(fc.constant(undefined), fc.constantFrom("bytes=0-9", "bytes=-5", "bytes=9-1", "bytes=0-1,3-4", "bytes=99999999999999999999-", "items=1-2"), fc.string({ maxLength: 30 }));
    await fc.assert(
      fc.asyncProperty(exportId, token, range, fc.boolean(), async (eid, tok, r, audit) => {
        const url = audit ? `/audit/export.csv?token=${enc(tok)}` : `/exports/${enc(eid)}/download?token=${enc(tok)}`;
        const headers: Record<string, string> = { host };
        if (r !== undefined && /^[\x20-\x7e]*$/.test(r)) headers.range = r;
        const res = await t.app.inject({ method: "GET", url, headers });
        expect(res.statusCode, `${url.slice(0, 120)} ${r} → ${res.statusCode} ${res.body.slice(0, 200)}`).toBeLessThan(500);
        expectNoLeaks(res.body);
      }),
      { numRuns: 120 },
    );
  }, 120_000);
});

// --- H2 (issue 15) ---
describe("privacy and retention with bad input", () => {
  it("privacy.* and tenant.update retention refuse bad values with 400 naming the field", async () => {
    const cases: [string, "mutation" | "query", unknown, string][] = [
      ["privacy.findContact", "query", {}, "exactly one of email or phone"],
      ["privacy.findContact", "query", { email: "a@b.test", phone: "+15550001111" }, "exactly one of email or phone"],
      ["privacy.findContact", "query", { email: "not an address" }, "email"],
      ["privacy.findContact", "query", { phone: "call me maybe" }, "phone"],
      ["privacy.eraseContact", "mutation", { contactId: "00000000-0000-0000-0000-000000000000" }, "confirm"],
      ["privacy.eraseContact", "mutation", { contactId: "00000000-0000-0000-0000-000000000000", confirm: false }, "confirm"],
      ["privacy.eraseContact", "mutation", { contactId: "someone", confirm: true }, "contactId"],
      ["tenant.update", "mutation", { retention: { messagesDays: 0 } }, "retention.messagesDays"],
      ["tenant.update", "mutation", { retention: { transcriptsDays: 3651 } }, "retention.transcriptsDays"],
      ["tenant.update", "mutation", { retention: { transcriptsDays: 1.5 } }, "retention.transcriptsDays"],
      ["tenant.update", "mutation", { retention: { callsDays: 30 } }, "retention"],
    ];
    for (const [path, kind, input, field] of cases) {
      const res = kind === "mutation" ? await mutate(t.app, path, input, { host, cookie: owner }) : await query(t.app, path, input, { host, cookie: owner });
      expect(res.statusCode, `${path} ${JSON.stringify(input)} → ${res.body.slice(0, 300)}`).toBe(400);
      expect(res.body).toContain(field);
      expectNoLeaks(res.body);
    }
  });
});
