/**
 * The generated OpenAPI document: valid OpenAPI 3.1 (checked by @seriousme/openapi-schema-validator, an
 * independent validator of the specification's own JSON schemas), one operation for every procedure found by
 * walking the router, and an output schema for each. No database: the document is a function of the router.
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../root";
import { openApiDocument } from "./document";
import { procedureOutputs } from "./outputs/index";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed JSON document

let doc: Json;
beforeAll(async () => {
  doc = await openApiDocument(appRouter, { sessionCookieName: "sb_session" });
});

/** Every procedure as tRPC itself lists them: path → query | mutation | subscription. */
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>).map(
  ([path, p]) => [path, p._def.type] as const,
);

const operation = (path: string) => {
  const item = doc.paths[`/trpc/${path}`] as Json | undefined;
  return (item?.get ?? item?.post) as Json | undefined;
};

describe("GET /openapi.json's document", () => {
  it("is valid OpenAPI 3.1", async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
    // The validator can refuse: an operation without responses, or a query parameter without a schema, is invalid.
    const broken = structuredClone(doc);
    delete broken.paths["/trpc/calls.list"].get.responses;
    delete broken.paths["/trpc/calls.get"].get.parameters[0].content;
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("has every procedure of the router, on the tRPC wire format: queries GET, mutations POST, subscriptions SSE", () => {
    expect(procedures.length).toBeGreaterThan(90);
    for (const [path, type] of procedures) {
      const item = doc.paths[`/trpc/${path}`] as Json | undefined;
      expect(item, path).toBeDefined();
      expect(Object.keys(item!), path).toEqual([type === "mutation" ? "post" : "get"]);
      const op = operation(path)!;
      expect(op.operationId).toBe(path);
      const ok = op.responses["200"].content as Json;
      if (type === "subscription") expect(Object.keys(ok), path).toEqual(["text/event-stream"]);
      else expect(ok["application/json"].schema.properties.result.properties.data, path).toBeDefined();
    }
    expect(Object.keys(doc.paths)).toHaveLength(procedures.length);
  });

  it("every procedure has an output schema (packages/trpc/src/openapi/outputs/<domain>.ts)", () => {
    const missing = procedures.map(([path]) => path).filter((path) => !procedureOutputs.has(path));
    // Add the schema of what the procedure answers to outputs/<domain>.ts (a new domain: a new file, one line in
    // outputs/index.ts), then call the procedure in outputs.test.ts so its real answer is checked against it.
    expect(missing, "procedures without an output schema in packages/trpc/src/openapi/outputs").toEqual([]);
  });

  it("describes inputs from the zod schemas: required or not, strict, with their limits", () => {
    const list = operation("calls.list")!;
    expect(list.parameters).toEqual([expect.objectContaining({ name: "input", in: "query", required: false })]);
    const listInput = list.parameters[0].content["application/json"].schema;
    expect(listInput.properties.limit).toMatchObject({ type: "integer", minimum: 1, maximum: 100, default: 50 });
    expect(listInput.additionalProperties).toBe(false);

    const create = operation("calls.create")!;
    expect(create.requestBody.required).toBe(true);
    const createInput = create.requestBody.content["application/json"].schema;
    expect(createInput.required).toEqual(expect.arrayContaining(["direction", "customerPhone"]));
    expect(createInput.properties.startedAt).toMatchObject({ type: "string", format: "date-time" });
    // A query that takes nothing has no input parameter; a mutation always sends a JSON body, `{}` when it takes nothing.
    expect(operation("auth.me")!.parameters).toBeUndefined();
    expect(operation("auth.logout")!.requestBody).toMatchObject({
      required: true,
      content: { "application/json": { schema: { type: "object", additionalProperties: false } } },
    });
  });

  it("states who may call each procedure, from the steps its base procedure runs", () => {
    const access = (path: string) => operation(path)!["x-access"];
    expect(access("calls.list")).toEqual({ kind: "tenant", apiKey: true, lowestRole: "viewer" });
    expect(access("calls.create")).toEqual({ kind: "tenant", apiKey: true, lowestRole: "agent" });
    expect(access("agents.create")).toEqual({ kind: "tenant", apiKey: true, lowestRole: "admin" });
    expect(access("apiKeys.create")).toEqual({ kind: "tenant", apiKey: false, lowestRole: "admin" });
    expect(access("webhooks.create")).toEqual({ kind: "tenant", apiKey: false, lowestRole: "admin" });
    expect(access("tenant.archive")).toEqual({ kind: "tenant", apiKey: false, lowestRole: "owner" });
    expect(access("auth.me")).toMatchObject({ kind: "session", apiKey: false });
    expect(access("platform.tenants.list")).toMatchObject({ kind: "platform", apiKey: false });
    expect(access("auth.login")).toMatchObject({ kind: "open" });
    expect(operation("calls.list")!.security).toEqual([{ apiKey: [] }, { session: [], tenant: [] }]);
    expect(operation("apiKeys.create")!.security).toEqual([{ session: [], tenant: [] }]);
    expect(operation("auth.login")!.security).toEqual([]);
    expect(doc.components.securitySchemes).toMatchObject({
      apiKey: { type: "http", scheme: "bearer" },
      session: { type: "apiKey", in: "cookie", name: "sb_session" },
      tenant: { type: "apiKey", in: "header", name: "x-tenant" },
    });
  });

  it("describes errors in tRPC's envelope with their statuses, and Retry-After on 429", () => {
    const create = operation("calls.create")!;
    expect(Object.keys(create.responses)).toEqual(["200", "400", "401", "403", "404", "409", "412", "413", "429", "500"]);
    expect(doc.components.responses.TOO_MANY_REQUESTS.headers["Retry-After"]).toBeDefined();
    const error = doc.components.schemas.Error;
    expect(error.properties.error.required).toEqual(["message", "code", "data"]);
    expect(error.properties.error.properties.data.properties.code.enum).toContain("PRECONDITION_FAILED");
  });

  it("inlines every schema (the only references are to components), so any JSON Schema 2020-12 tool reads it", () => {
    const refs = new Set<string>();
    JSON.stringify(doc, (key, value: unknown) => {
      if (key === "$ref") refs.add(value as string);
      if (key === "$defs") throw new Error("a schema with $defs");
      return value;
    });
    expect([...refs].every((r) => r.startsWith("#/components/"))).toBe(true);
  });
});
