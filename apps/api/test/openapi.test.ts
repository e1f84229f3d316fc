// The API reference over HTTP: /openapi.json is valid OpenAPI 3.1 and drives the API on its own — requests built
// from nothing but the document (paths, methods, how input travels, security schemes), their inputs and answers
// checked against the document's JSON schemas with ajv; /docs renders it from this server under a strict CSP.
import { gunzipSync } from "node:zlib";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helper";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed JSON document

let t: TestApp;
let doc: Json;
beforeAll(async () => {
  t = await buildTestApp();
  const res = await t.app.inject("/openapi.json");
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(() => t?.close());

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);

/** A `$ref` to the document's components replaced by what it names (the document has no other references). */
function resolve(node: unknown): Json {
  if (Array.isArray(node)) return node.map(resolve) as unknown as Json;
  if (node === null || typeof node !== "object") return node as Json;
  const ref = (node as Json).$ref as string | undefined;
  if (ref) return resolve(ref.slice(2).split("/").reduce<Json>((at, key) => at[key] as Json, doc));
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v)]));
}

function expectValid(schema: Json, value: unknown, what: string) {
  const validate = ajv.compile(schema);
  if (!validate(value)) throw new Error(`${what}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 500)}`);
}

/** How a caller authenticates, in the document's own terms: security scheme name → its value. */
type Credentials = Partial<Record<"apiKey" | "session" | "tenant", string>>;

/**
 * Calls an operation knowing only the document: finds it by operationId, puts the input where the document says
 * (query parameter `input` as JSON, or the JSON body), sends the credentials the way its security schemes say,
 * checks the input against the operation's input schema first and the answer against the response's schema.
 */
async function call(operationId: string, input: unknown, credentials: Credentials = {}): Promise<{ res: LightMyRequestResponse; data: Json }> {
  const [path, item] = Object.entries(doc.paths as Json).find(([, i]) => (i.get ?? i.post).operationId === operationId)!;
  const method = item.get ? "GET" : "POST";
  const op = (item.get ?? item.post) as Json;

  const headers: Record<string, string> = { host: "localhost:3000" };
  const schemes = doc.components.securitySchemes as Json;
  const usable = (op.security as Json[]).find((req) => Object.keys(req).every((name) => credentials[name as keyof Credentials]));
  if (op.security.length > 0 && !usable) throw new Error(`${operationId}: no credentials for ${JSON.stringify(op.security)}`);
  for (const name of Object.keys(usable ?? {})) {
    const scheme = schemes[name] as Json;
    const value = credentials[name as keyof Credentials]!;
    if (scheme.type === "http" && scheme.scheme === "bearer") headers.authorization = `Bearer ${value}`;
    else if (scheme.in === "header") headers[scheme.name] = value;
    else if (scheme.in === "cookie") headers.cookie = `${scheme.name}=${value}`;
  }

  let url: string = path;
  let payload: string | undefined;
  if (method === "GET") {
    const param = (op.parameters as Json[] | undefined)?.find((p) => p.in === "query" && p.name === "input");
    if (input !== undefined) {
      expectValid(param!.content["application/json"].schema, input, `${operationId} input`);
      url += `?${param!.name}=${encodeURIComponent(JSON.stringify(input))}`;
    }
  } else {
    const body = op.requestBody.content["application/json"];
    const sent = input ?? {};
    expectValid(body.schema, sent, `${operationId} input`);
    payload = JSON.stringify(sent);
    headers["content-type"] = "application/json";
    // The session scheme's rule (its description): cookie-authenticated mutations are same-origin.
    if (headers.cookie) headers.origin = "http://localhost:3000";
  }

  const res = await t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
  const response = resolve(op.responses[String(res.statusCode)]);
  expect(response, `${operationId} answered ${res.statusCode}, which the document does not list: ${res.body}`).toBeDefined();
  expectValid(response.content["application/json"].schema, res.json(), `${operationId} ${res.statusCode}`);
  return { res, data: res.json().result?.data };
}

describe("GET /openapi.json", () => {
  it("is valid OpenAPI 3.1, public and readable cross-origin", async () => {
    const res = await t.app.inject("/openapi.json");
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    const validator = new Validator();
    const result = await validator.validate(res.json());
    expect(result.errors ?? []).toEqual([]);
    expect(validator.version).toBe("3.1");
    expect(doc.components.securitySchemes.session.name).toBe("sb_session");
    // Compressed for clients that accept it, the same document.
    const zipped = await t.app.inject({ url: "/openapi.json", headers: { "accept-encoding": "gzip" } });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.rawPayload.length).toBeLessThan(res.rawPayload.length / 5);
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString())).toEqual(res.json());
  });

  it("every schema in it compiles as JSON Schema 2020-12 (ajv, strict)", () => {
    const schemas: Json[] = [];
    for (const item of Object.values(doc.paths as Json)) {
      const op = (item.get ?? item.post) as Json;
      for (const p of op.parameters ?? []) schemas.push(p.content["application/json"].schema);
      if (op.requestBody) schemas.push(op.requestBody.content["application/json"].schema);
      const ok = op.responses["200"].content as Json;
      schemas.push(ok["application/json"]?.schema ?? ok["text/event-stream"]["x-sse-data"]);
    }
    for (const schema of schemas) ajv.compile(schema);
    expect(schemas.length).toBeGreaterThan(180);
  });

  it("drives the API on its own: sign up, a tenant, an API key, then calls created, read and listed with the key", async () => {
    const register = await call("auth.register", { email: "doc@openapi.test", password: "a long enough password", name: "Doc" });
    expect(register.res.statusCode).toBe(200);
    const cookieName = doc.components.securitySchemes.session.name as string;
    const session = register.res.cookies.find((c) => c.name === cookieName)!.value;

    const tenant = await call("tenants.create", { name: "Doc Co", slug: "doc-co" }, { session });
    expect(tenant.data.slug).toBe("doc-co");
    const key = await call("apiKeys.create", { name: "reference", role: "agent" }, { session, tenant: "doc-co" });
    expect(key.data.key).toMatch(/^sk_/);

    const apiKey = key.data.key as string;
    const created = await call("calls.create", { direction: "inbound", customerPhone: "+15550001234", status: "ringing" }, { apiKey });
    expect(created.data).toMatchObject({ direction: "inbound", status: "ringing" });
    const got = await call("calls.get", { id: created.data.id }, { apiKey });
    expect(got.data).toMatchObject({ id: created.data.id, transcript: null });
    const listed = await call("calls.list", { status: "ringing", limit: 10 }, { apiKey });
    expect(listed.data.items.map((c: Json) => c.id)).toEqual([created.data.id]);
    expect((await call("calls.list", undefined, { apiKey })).data.items).toHaveLength(1);

    // Errors come as the document says, in its error envelope and with the listed status.
    const missing = await call("calls.get", { id: crypto.randomUUID() }, { apiKey });
    expect(missing.res.statusCode).toBe(404);
    expect(missing.res.json().error.data.code).toBe("NOT_FOUND");
    // The document says an API key cannot create keys (no `apiKey` in its security); the API agrees, as documented.
    await expect(call("apiKeys.create", { name: "again", role: "viewer" }, { apiKey })).rejects.toThrow(/no credentials/);
    const refused = await t.app.inject({
      method: "POST",
      url: "/trpc/apiKeys.create",
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      payload: JSON.stringify({ name: "again", role: "viewer" }),
    });
    expect(refused.statusCode).toBe(403);
    expectValid(resolve(doc.paths["/trpc/apiKeys.create"].post.responses["403"]).content["application/json"].schema, refused.json(), "403");
    const invalid = await t.app.inject({ method: "GET", url: `/trpc/calls.list?input=${encodeURIComponent('{"limit":0}')}`, headers: { authorization: `Bearer ${apiKey}` } });
    expect(invalid.statusCode).toBe(400);
    expectValid(resolve(doc.paths["/trpc/calls.list"].get.responses["400"]).content["application/json"].schema, invalid.json(), "400");
  });

  it("the examples it shows (what the rendered snippets send) are inputs the API accepts", async () => {
    const register = await call("auth.register", { email: "examples@openapi.test", password: "a long enough password", name: "Ex" });
    const session = register.res.cookies.find((c) => c.name === doc.components.securitySchemes.session.name)!.value;
    await call("tenants.create", { name: "Examples", slug: "doc-examples" }, { session });
    const apiKey = (await call("apiKeys.create", { name: "examples", role: "viewer" }, { session, tenant: "doc-examples" })).data.key;
    // Queries only (no side effects), each called with its example: a row that does not exist is fine, a refusal of the input is not.
    const tried: string[] = [];
    for (const item of Object.values(doc.paths as Json)) {
      const param = item.get?.parameters?.[0]?.content["application/json"];
      if (!item.get || param?.example === undefined) continue;
      const credentials: Credentials = item.get.security.some((r: Json) => "apiKey" in r) ? { apiKey } : { session, tenant: "doc-examples" };
      const { res } = await call(item.get.operationId, param.example, credentials);
      expect(res.statusCode, `${item.get.operationId} ${res.body}`).not.toBe(400);
      tried.push(item.get.operationId);
    }
    expect(tried).toEqual(expect.arrayContaining(["calls.get", "messages.list", "webhooks.deliveries"]));
  });

  it("a mutation that takes no input is sent with the body the document gives it, {}", async () => {
    const register = await call("auth.register", { email: "noinput@openapi.test", password: "a long enough password", name: "No" });
    const session = register.res.cookies.find((c) => c.name === doc.components.securitySchemes.session.name)!.value;
    expect(doc.paths["/trpc/auth.logout"].post.requestBody.required).toBe(true);
    const out = await call("auth.logout", undefined, { session });
    expect(out.data).toEqual({ ok: true });
  });
});

describe("GET /docs", () => {
  it("renders the reference from this server, under a CSP that admits scripts and connections from this origin only", async () => {
    const res = await t.app.inject("/docs");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    const csp = String(res.headers["content-security-policy"]);
    const directive = (name: string) => new RegExp(`(^|;)${name} ([^;]*)`).exec(csp)?.[2];
    expect(directive("script-src")).toBe("'self'");
    expect(directive("connect-src")).toBe("'self'");
    expect(directive("default-src")).toBe("'self'");
    expect(directive("frame-ancestors")).toBe("'none'");
    // Scalar writes its styles at run time: inline styles, on this page only.
    expect(directive("style-src")).toBe("'self' 'unsafe-inline'");
    expect(csp).not.toMatch(/unsafe-eval|https?:|\*/);
    // Scripts from this server only, no inline script.
    const scripts = [...res.body.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    expect(scripts.map((s) => s[1]!.trim())).toEqual([expect.stringMatching(/^src="\/docs\/scalar\.js\?v=[\w-]{16}"$/), 'src="/docs/init.js"']);
    expect(scripts.every((s) => s[2] === "")).toBe(true);
  });

  it("serves Scalar's bundle (gzip when accepted) and its configuration: the document's URL, nothing from elsewhere", async () => {
    const src = /src="(\/docs\/scalar\.js\?v=[^"]+)"/.exec((await t.app.inject("/docs")).body)![1]!;
    const bundle = await t.app.inject({ url: src, headers: { "accept-encoding": "gzip, br" } });
    expect(bundle.statusCode).toBe(200);
    // Its URL names its content, so it is cached for good.
    expect(bundle.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(bundle.headers["content-type"]).toMatch(/^text\/javascript/);
    expect(bundle.headers["content-encoding"]).toBe("gzip");
    const plain = await t.app.inject("/docs/scalar.js");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toContain("createApiReference");
    const init = await t.app.inject("/docs/init.js");
    expect(init.body).toMatch(/^Scalar\.createApiReference\("#api-reference", /);
    expect(JSON.parse(init.body.slice(init.body.indexOf("{"), init.body.lastIndexOf(")")))).toMatchObject({
      url: "/openapi.json",
      withDefaultFonts: false,
      telemetry: false,
    });
  });

  it("leaves the rest of the app under its own strict policy", async () => {
    const csp = String((await t.app.inject("/healthz")).headers["content-security-policy"]);
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline/);
    // The dashboard's routes too (the web plugin's fallback would serve index.html under it).
    expect(String((await t.app.inject("/openapi.json")).headers["content-security-policy"])).toMatch(/style-src 'self'(;|$)/);
  });
});
