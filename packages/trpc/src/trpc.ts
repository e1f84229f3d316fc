/**
 * tRPC initialisation: the context and meta types, the error shape every response carries, and the builders the
 * plumbing composes (procedures.ts). Edit here when the error shape or the procedure metadata changes; a new kind
 * of caller or a new cross-cutting rule is a middleware composed in procedures.ts, and domain routers never do either.
 */
import { experimental_standaloneMiddleware, initTRPC } from "@trpc/server";
import type { Context } from "./context";

interface Issue {
  path: string;
  message: string;
}

/** Validation issues from zod (or any Standard Schema) carried as the error's cause. */
function validationIssues(cause: unknown): Issue[] | null {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return null;
  return issues.map((i: { path?: PropertyKey[]; message?: string }) => ({
    path: (i.path ?? [])
      .map((p) => String(typeof p === "object" && p ? (p as { key: unknown }).key : p))
      .join("."),
    message: i.message ?? "Invalid value",
  }));
}

/**
 * Procedure metadata, read by the audit steps (audit/): `audit.resourceType` names the entity a mutation changes
 * (`member`, `agent`, `call`…); the audit trail records it with the procedure path as the action. Without it, the
 * path's first segment (the domain) is the resource type.
 */
export interface Meta {
  audit?: { resourceType: string };
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    // Subscriptions over Server-Sent Events: a ping every 10 s keeps proxies from closing idle streams, and
    // clients reconnect (sending Last-Event-ID, see engagements.onEvent) if they hear nothing for 25 s.
    sse: {
      ping: { enabled: true, intervalMs: 10_000 },
      client: { reconnectAfterInactivityMs: 25_000 },
    },
    // Never a stack trace, SQL text or an internal message in a response, in any mode.
    errorFormatter({ shape, error }) {
      const issues = error.code === "BAD_REQUEST" ? validationIssues(error.cause) : null;
      const message =
        error.code === "INTERNAL_SERVER_ERROR"
          ? "Internal server error"
          : issues
            ? `Invalid input: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join("; ")}`
            : shape.message;
      return {
        code: shape.code,
        message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          ...(issues ? { issues } : {}),
        },
      };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** The bare procedure: procedures.ts builds every base procedure from it. */
export const baseProcedure = t.procedure;

/** A named middleware that needs only the request's context. */
export const middleware = t.middleware;

/**
 * A named middleware that reads only `Ctx` from the context: a step that comes after others and reads what they
 * put there, or one that must also work after them. `.use` refuses, at compile time, a composition that does not
 * provide `Ctx`.
 */
export const middlewareOn = <Ctx extends object>() =>
  experimental_standaloneMiddleware<{ ctx: Ctx; meta: Meta }>().create;
