/**
 * The API's logger settings (app.ts uses them; tests pass them with a capture stream). Edit here to change what a
 * log line may contain.
 *
 * Errors are logged (`{ err }`) through `errorSerializer`, which never prints what a failed query carried: Drizzle's
 * DrizzleQueryError puts the SQL text and every parameter (e-mails, password hashes, token hashes) into its message,
 * its stack and its `query`/`params` fields, and PostgreSQL's `detail` repeats the values of the row ("Key
 * (email)=(…) already exists", "Failing row contains (…)"). The serializer keeps an error's type, a clean message
 * and stack, the PostgreSQL code, constraint, table and column, and its causes; every other field is left out.
 */
import type { FastifyServerOptions } from "fastify";
import type { DestinationStream } from "pino";
import type { Env } from "./env";

export interface SerializedError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
  code?: string | number;
  constraint?: string;
  table?: string;
  column?: string;
  severity?: string;
  routine?: string;
  statusCode?: number;
  cause?: SerializedError;
}

const omitted = "(query text and parameters not logged)";

/** Drizzle's "Failed query: <sql>\nparams: <values>" (and anything else that starts that way). */
const isQueryMessage = (message: string) => message.startsWith("Failed query:");

function cleanMessage(e: Error & { code?: unknown }): string {
  if (isQueryMessage(e.message)) return `Failed query ${omitted}`;
  // PostgreSQL data exceptions (class 22) quote the offending value: `invalid input syntax for type uuid: "…"`.
  if (e.name === "PostgresError" && typeof e.code === "string" && e.code.startsWith("22")) return e.message.replace(/"[^"]*"/g, '"…"');
  return e.message;
}

/** The stack's frames under a clean first line (the original first lines repeat the message). */
function cleanStack(e: Error, type: string, message: string): string {
  if (typeof e.stack !== "string") return `${type}: ${message}`;
  const frames = e.stack.split("\n").filter((line) => /^\s+at /.test(line));
  return [`${type}: ${message}`, ...frames].join("\n");
}

const pick = <T>(v: unknown, type: "string" | "number"): T | undefined => (typeof v === type ? (v as T) : undefined);

export function errorSerializer(err: unknown, depth = 0): SerializedError {
  if (!(err instanceof Error)) {
    const text = typeof err === "string" ? err : (JSON.stringify(err) ?? String(err));
    const message = isQueryMessage(text) ? `Failed query ${omitted}` : text;
    return { type: typeof err, message, stack: "" };
  }
  const e = err as Error & Record<string, unknown>;
  const message = cleanMessage(e);
  const type = e.constructor?.name || e.name;
  const out: SerializedError = { type, message, stack: cleanStack(e, type, message) };
  const code = pick<string>(e.code, "string") ?? pick<number>(e.code, "number");
  if (code !== undefined) out.code = code;
  const fields = {
    constraint: pick<string>(e.constraint_name ?? e.constraint, "string"),
    table: pick<string>(e.table_name ?? e.table, "string"),
    column: pick<string>(e.column_name ?? e.column, "string"),
    severity: pick<string>(e.severity, "string"),
    routine: pick<string>(e.routine, "string"),
    statusCode: pick<number>(e.statusCode, "number"),
  };
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  if (e.cause !== undefined && depth < 5) out.cause = errorSerializer(e.cause, depth + 1);
  return out;
}

/** Logger options for Fastify: level, redaction of credentials, the error serializer; `stream` for tests. */
export function loggerOptions(env: Pick<Env, "LOG_LEVEL">, stream?: DestinationStream): FastifyServerOptions["logger"] {
  return {
    level: env.LOG_LEVEL,
    redact: ["req.headers.cookie", "req.headers.authorization", 'res.headers["set-cookie"]'],
    serializers: { err: (err: unknown) => errorSerializer(err) },
    ...(stream ? { stream } : {}),
  };
}
