// Generated bad input for every procedure's input schema, through HTTP: only 4xx (or 2xx when the input happens
// to be valid), never 5xx, and no stack traces or SQL in any body.
import fc from "fast-check";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tenants } from "@switchboard/db";
import { appRouter } from "@switchboard/trpc";
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
const value = fc.oneof(nasty, fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: "binary", maxLength: 50 }));

function inputFor(keys: string[]) {
  const known = keys.length > 0 ? fc.constantFrom(...keys) : fc.constant("id");
  return fc.oneof(
    value,
    fc.dictionary(fc.oneof(known, fc.constantFrom("__proto__", "constructor", "tenantId", "role")), value, { maxKeys: 5 }),
    keys.length > 0 ? fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] }) : value,
  );
}

beforeAll(async () => {
  t = await buildTestApp();
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
          expect(res.statusCode, `${path} ${JSON.stringify(input)?.slice(0, 200)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
          expectNoLeaks(res.body);
        }),
        { numRuns: 40 },
      );
    },
  );
});
