/**
 * Mounts the tRPC router at /trpc and builds each request's context: the session from the cookie, the tenant
 * slug from the host, the request facts services need. Edit here when the context gains a field.
 */
import type { TRPCError } from "@trpc/server";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import fp from "fastify-plugin";
import type { FastifyReply, FastifyRequest } from "fastify";
import { noteTooManyRequests } from "./retry-after";
import { type AppConfig, type AppRouter, appRouter, type Context } from "@switchboard/trpc";

/** `Authorization: Bearer sk_…` → the key; anything else → null. */
export function bearerApiKey(header: string | undefined): string | null {
  const match = /^Bearer (sk_[A-Za-z0-9_-]{1,125})$/.exec(header ?? "");
  return match ? match[1]! : null;
}

declare module "fastify" {
  interface FastifyInstance {
    /**
     * This plugin's context and error report, for the one route that runs a procedure outside the tRPC adapter: the
     * live-events stream (plugins/events.ts writes engagements.onEvent's Server-Sent Events itself).
     */
    trpcCall: {
      createContext(req: FastifyRequest, res: FastifyReply): Promise<Context>;
      reportError(error: TRPCError, path: string | undefined, req: FastifyRequest): void;
    };
  }
  interface FastifyRequest {
    userId: string | null;
    /** The tenant a tenant procedure admitted the caller to (null until then, and outside tenants). */
    tenantId: string | null;
  }
}

export default fp<{ baseDomain: string; maxBatchSize: number; config?: Partial<AppConfig> }>(async function trpc(app, opts) {
  app.decorateRequest("userId", null);
  app.decorateRequest("tenantId", null);

  /**
   * Adds `bindings` to every later line of this request. Fastify gives each request its own pino child logger, so
   * the bindings go onto it in place (pino's `setBindings`): a child logger of our own per request (or two, user
   * then tenant) was measurable on the hot path (bench/README.md, issue #12). A logger without `setBindings`, or the
   * app's own (never expected), gets a child instead, so nothing is ever bound beyond this request.
   */
  function bindToRequest(req: FastifyRequest, bindings: Record<string, string>) {
    const log = req.log as FastifyRequest["log"] & { setBindings?: (b: Record<string, string>) => void };
    if (typeof log.setBindings === "function" && log !== app.log) log.setBindings(bindings);
    else req.log = req.log.child(bindings);
  }

  async function createContext({ req, res }: { req: FastifyRequest; res: FastifyReply }): Promise<Context> {
    // A request that presents an API key is authenticated by the key alone: its cookie is not read, so a
    // key-authenticated request (exempt from the CSRF check) can never act with a browser session.
    const apiKey = bearerApiKey(req.headers.authorization);
    const token = apiKey ? undefined : req.cookies[app.auth.cookieName];
    const session = token ? await app.auth.validate(token) : null;
    req.userId = session?.user.id ?? null;
    // Every later line of this request carries who it is for (reqId is bound by Fastify), and its tenant once a
    // tenant procedure has admitted the caller.
    if (req.userId) bindToRequest(req, { userId: req.userId });
    const port = req.host.match(/:(\d+)$/)?.[1];
    return {
      db: app.db,
      auth: app.auth,
      baseDomain: opts.baseDomain,
      tenantSlug: req.tenantSlug,
      user: session?.user ?? null,
      sessionId: session?.sessionId ?? null,
      apiKey,
      events: app.events,
      request: {
        ip: req.ip,
        userAgent: req.headers["user-agent"] ?? null,
        protocol: req.protocol,
        port: port ? `:${port}` : "",
      },
      setCookie: (c) => void res.setCookie(c.name, c.value, c.attributes),
      onAuditDenialDropped: () => app.metrics.auditDenialsDropped.inc(),
      onProcedure: app.metrics.procedureCall,
      onAdmitted: ({ tenantId, apiKeyId }) => {
        if (req.tenantId === tenantId) return; // a batch admits once per call
        req.tenantId = tenantId;
        bindToRequest(req, apiKeyId ? { tenantId, apiKeyId } : { tenantId });
      },
      config: opts.config ?? {},
    };
  }

  function reportError(error: TRPCError, path: string | undefined, req: FastifyRequest) {
    if (error.code === "INTERNAL_SERVER_ERROR") req.log.error({ err: error.cause ?? error, path }, "procedure failed");
    if (error.code === "TOO_MANY_REQUESTS") noteTooManyRequests(req, error);
  }
  app.decorate("trpcCall", { createContext: (req: FastifyRequest, res: FastifyReply) => createContext({ req, res }), reportError });

  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      createContext,
      maxBatchSize: opts.maxBatchSize,
      onError: ({ error, path, req }) => reportError(error, path, req),
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });
});
