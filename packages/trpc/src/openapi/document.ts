/**
 * `GET /openapi.json`: an OpenAPI 3.1 description of every procedure of a router, on tRPC's HTTP wire format
 * (no transformer), generated from the procedures themselves — their zod inputs, the output schemas in
 * ./outputs, and who may call them (./access.ts) — so it cannot be edited out of step with the code. A new
 * procedure appears here by being in the router; its response schema comes from ./outputs (see index.ts there).
 */
import type { AnyTRPCRouter } from "@trpc/server";
import { z } from "zod";
import { type Access, accessOf, describeAccess } from "./access";
import { type ProcedureDef, proceduresOf } from "./driver/trpc-procedures";
import { exampleInput } from "./example";
import { procedureOutputs } from "./outputs/index";
import { type ErrorCode, errorEnvelope, errorStatuses, resultEnvelope } from "./wire";

type Json = Record<string, unknown>;

export interface OpenApiOptions {
  /** The session cookie's name as the API sets it (`__Host-sb_session` behind TLS, `sb_session` otherwise). */
  sessionCookieName: string;
  /** Output schema by procedure path; defaults to ./outputs. */
  outputs?: ReadonlyMap<string, z.ZodType>;
}

/** A zod schema as a JSON Schema 2020-12 object (OpenAPI 3.1's dialect), inline: no `$defs`, no `$schema`. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    cycles: "throw",
    reused: "inline",
  }) as Json;
  return rest;
}

function zodInput(def: ProcedureDef): z.ZodType | null {
  if (def.input === null) return null;
  if (!(def.input instanceof z.ZodType)) throw new Error(`${def.path}: the OpenAPI document describes zod inputs only`);
  return def.input;
}

const description = `
Every procedure of the Switchboard API, on the [tRPC](https://trpc.io) HTTP protocol with plain JSON (no transformer).

- **Query**: \`GET /trpc/<path>?input=<URL-encoded JSON>\` (omit \`input\` when the procedure takes none or all of it is optional).
- **Mutation**: \`POST /trpc/<path>\` with the JSON input as the body and \`content-type: application/json\`.
- **Subscription**: \`GET /trpc/<path>?input=…\` answered with Server-Sent Events (see its operation).
- **Answer**: \`{ "result": { "data": … } }\`. **Error**: \`{ "error": { "message", "code", "data": { "code", "httpStatus", "path" } } }\`
  with tRPC's code and its HTTP status; validation errors name the offending fields in \`data.issues\`.
- **Batching**: \`?batch=1\` with comma-separated paths (\`/trpc/calls.list,leads.list?batch=1&input={"0":…,"1":…}\`)
  answers an array of envelopes (at most 10 calls).
- Timestamps are ISO-8601 strings, ids UUID strings. Lists take \`{ limit?: 1..100 = 50, cursor? }\` and answer
  \`{ items, nextCursor }\`: pass \`nextCursor\` back as \`cursor\` until it is null.

**Who is calling.** An API key (\`Authorization: Bearer sk_…\`) acts in its own tenant. A person signs in with
\`auth.login\` and sends the session cookie back; mutations sent with the cookie must be same-origin JSON. The tenant
is the host's subdomain (\`acme.<base domain>\`) or the \`x-tenant: <slug>\` header. A row of another tenant is \`NOT_FOUND\`.
Each operation states who may call it.
`.trim();

function errorResponses(def: ProcedureDef, access: Access): ErrorCode[] {
  const codes: ErrorCode[] = ["BAD_REQUEST"];
  if (access.kind !== "public") codes.push("UNAUTHORIZED");
  if (access.kind === "tenant" || access.kind === "session" || access.kind === "platform") codes.push("FORBIDDEN", "NOT_FOUND");
  if (def.type === "mutation") codes.push("CONFLICT", "PRECONDITION_FAILED", "PAYLOAD_TOO_LARGE");
  if (access.kind === "tenant" || access.kind === "open") codes.push("TOO_MANY_REQUESTS");
  codes.push("INTERNAL_SERVER_ERROR");
  return codes;
}

function security(access: Access): Json[] {
  switch (access.kind) {
    case "tenant":
      return access.apiKey ? [{ apiKey: [] }, { session: [], tenant: [] }] : [{ session: [], tenant: [] }];
    case "session":
    case "platform":
      return [{ session: [] }];
    default:
      return [];
  }
}

function howToCall(def: ProcedureDef): string {
  const url = `/trpc/${def.path}`;
  if (def.type === "mutation") return `\`POST ${url}\` with the input as a JSON body.`;
  if (def.type === "subscription") return `\`GET ${url}?input=<URL-encoded JSON>\` as Server-Sent Events.`;
  return `\`GET ${url}?input=<URL-encoded JSON>\`.`;
}

const sseDescription = `A stream of Server-Sent Events (tRPC's SSE protocol):
- \`event: connected\` first; \`event: ping\` every 10 s (reconnect after 25 s of silence);
- then one event per value: \`id: <event id>\` and \`data: <JSON>\` (the schema in \`x-sse-data\`); reconnecting with
  \`Last-Event-ID\` (or the input's \`lastEventId\`) resumes after that event;
- \`event: serialized-error\` with the error's \`data\` if the stream fails (e.g. access revoked), \`event: return\` when it ends.`;

async function operation(def: ProcedureDef, outputs: ReadonlyMap<string, z.ZodType>): Promise<[method: string, Json]> {
  const access = await accessOf(def.steps);
  const input = zodInput(def);
  const inputSchema = input ? jsonSchema(input, "input") : null;
  const inputRequired = input ? !input.safeParse(undefined).success : false;
  const example = input && inputSchema && inputRequired ? exampleInput(input, inputSchema) : undefined;
  const inputContent = inputSchema && { schema: inputSchema, ...(example === undefined ? {} : { example }) };
  const output = outputs.get(def.path);
  const outputSchema = output
    ? jsonSchema(output, "output")
    : { description: "Not described yet: add this procedure to packages/trpc/src/openapi/outputs." };
  const audited = def.type === "mutation" && access.kind === "tenant";

  const op: Json = {
    operationId: def.path,
    tags: [def.path.split(".")[0]],
    summary: def.path,
    description: [
      describeAccess(access),
      howToCall(def),
      audited ? `Audited (resource type \`${def.meta?.audit?.resourceType ?? def.path.split(".")[0]}\`).` : null,
    ]
      .filter(Boolean)
      .join(" "),
    security: security(access),
    "x-trpc": { path: def.path, type: def.type },
    "x-access": access,
  };

  if (def.type === "mutation") {
    // A mutation always has a JSON body (an empty one is not JSON): `{}` when the procedure takes no input.
    op.requestBody = inputSchema
      ? { required: true, content: { "application/json": inputContent } }
      : {
          required: true,
          description: "This procedure takes no input: send `{}`.",
          content: { "application/json": { schema: { type: "object", additionalProperties: false } } },
        };
  } else if (inputSchema) {
    op.parameters = [
      {
        name: "input",
        in: "query",
        required: inputRequired,
        description: "The procedure's input as JSON (URL-encoded in the query string).",
        content: { "application/json": inputContent },
      },
    ];
  }

  const success =
    def.type === "subscription"
      ? {
          description: sseDescription,
          content: { "text/event-stream": { schema: { type: "string" }, "x-sse-data": outputSchema } },
        }
      : {
          description: "The procedure's answer in tRPC's envelope.",
          content: { "application/json": { schema: output ? jsonSchema(resultEnvelope(output), "output") : outputSchema } },
        };
  op.responses = {
    "200": success,
    ...Object.fromEntries(
      errorResponses(def, access).map((code) => [String(errorStatuses[code]), { $ref: `#/components/responses/${code}` }]),
    ),
  };
  return [def.type === "mutation" ? "post" : "get", op];
}

const errorDescriptions: Record<ErrorCode, string> = {
  BAD_REQUEST: "Invalid input (`data.issues` names the fields), a string with U+0000, or no tenant for this host.",
  UNAUTHORIZED: "No valid session or API key, or wrong credentials.",
  FORBIDDEN: "The caller's role or kind (an API key on an access-managing procedure) may not do this, or a cross-site request.",
  NOT_FOUND: "Unknown tenant slug, or no such row in this tenant (rows of other tenants included).",
  CONFLICT: "A duplicate (e-mail, slug, shortcut…).",
  PRECONDITION_FAILED: "A rule of the current state refuses it (limits, the last owner, a used invitation…).",
  PAYLOAD_TOO_LARGE: "The body is over the API's limit.",
  TOO_MANY_REQUESTS: "Over the tenant's request budget or the per-address sign-in limit: retry after `Retry-After` seconds.",
  INTERNAL_SERVER_ERROR: "Something failed on the server (no details are given).",
};

function components(options: OpenApiOptions): Json {
  const error = jsonSchema(errorEnvelope, "output");
  return {
    securitySchemes: {
      apiKey: {
        type: "http",
        scheme: "bearer",
        bearerFormat: "sk_…",
        description: "An API key (`apiKeys.create`). It acts in its own tenant with its role, and never manages access.",
      },
      session: {
        type: "apiKey",
        in: "cookie",
        name: options.sessionCookieName,
        description: "The session cookie set by `auth.login`. Mutations must be same-origin (`Origin`) JSON.",
      },
      tenant: {
        type: "apiKey",
        in: "header",
        name: "x-tenant",
        description: "The tenant's slug, for a session on a host that is not the tenant's subdomain (`acme.<base domain>`).",
      },
    },
    schemas: { Error: error },
    responses: Object.fromEntries(
      (Object.keys(errorStatuses) as ErrorCode[]).map((code) => [
        code,
        {
          description: `\`${code}\`: ${errorDescriptions[code]}`,
          ...(code === "TOO_MANY_REQUESTS"
            ? { headers: { "Retry-After": { description: "Seconds to wait.", schema: { type: "integer", minimum: 0 } } } }
            : {}),
          content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
        },
      ]),
    ),
  };
}

/** The OpenAPI 3.1 document of `router`. Pure: the API builds it once and serves the same object. */
export async function openApiDocument(router: AnyTRPCRouter, options: OpenApiOptions): Promise<Json> {
  const outputs = options.outputs ?? procedureOutputs;
  const defs = proceduresOf(router);
  const paths: Json = {};
  for (const def of defs) {
    const [method, op] = await operation(def, outputs);
    paths[`/trpc/${def.path}`] = { [method]: op };
  }
  const tags = [...new Set(defs.map((d) => d.path.split(".")[0]!))].map((name) => ({ name }));
  return {
    openapi: "3.1.0",
    info: { title: "Switchboard API", version: "2", description },
    servers: [{ url: "/", description: "This server" }],
    tags,
    paths,
    components: components(options),
  };
}
