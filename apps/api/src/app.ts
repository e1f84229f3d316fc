/**
 * The Fastify application as a function of its dependencies (no listening, no process signals), so tests build
 * it with a test database and `inject`. Edit here to add or reorder plugins; each plugin lives in plugins/.
 */
import { randomUUID } from "node:crypto";
import fastifyCookie from "@fastify/cookie";
import Fastify, { type FastifyServerOptions, LogController } from "fastify";
import { type Auth, createAuth } from "@switchboard/auth";
import type { DbHandle } from "@switchboard/db";
import { appRouter } from "@switchboard/trpc";
import { encryptionKeys } from "./encryption-key";
import { exportStoreOf } from "./exports-store";
import type { Env } from "./env";
import { sendTrpcError } from "./errors";
import { loggerOptions } from "./logging";
import connections from "./plugins/connections";
import csat from "./plugins/csat";
import csrf from "./plugins/csrf";
import events from "./plugins/events";
import exportRoutes from "./plugins/exports";
import handoff from "./plugins/handoff";
import health from "./plugins/health";
import metrics from "./plugins/metrics";
import openapi from "./plugins/openapi";
import retryAfter from "./plugins/retry-after";
import securityHeaders from "./plugins/security-headers";
import sessionCache from "./plugins/session-cache";
import tenantHost from "./plugins/tenant-host";
import trpc from "./plugins/trpc";
import twilioHooks from "./plugins/twilio-hooks";
import web from "./plugins/web";

declare module "fastify" {
  interface FastifyInstance {
    db: DbHandle;
    auth: Auth;
    lifecycle: { draining: boolean };
  }
}

export interface AppOptions {
  env: Env;
  db: DbHandle;
  logger?: FastifyServerOptions["logger"];
  /** Built dashboard directory; null serves the API only. */
  webRoot?: string | null;
}

function trustProxy(value: string | undefined): FastifyServerOptions["trustProxy"] {
  if (!value) return false;
  if (/^\d+$/.test(value)) return Number(value) as unknown as string; // a hop count; the typings omit it
  if (value === "true") return true;
  return value.split(",").map((s) => s.trim());
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildApp({ env, db, logger, webRoot = null }: AppOptions) {
  const app = Fastify({
    // Level, redaction, and errors without a failed query's text and parameters (logging.ts).
    logger: logger ?? loggerOptions(env),
    routerOptions: { maxParamLength: 5000 },
    // Shutdown (see plugins/connections.ts): requests arriving while closing get 503 + `Connection: close`, and
    // the connections left once in-flight responses are done are closed at once, not after their keep-alive.
    return503OnClosing: true,
    forceCloseConnections: true,
    bodyLimit: env.BODY_LIMIT_BYTES,
    trustProxy: trustProxy(env.TRUST_PROXY),
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers["x-request-id"];
      return typeof given === "string" && requestIdPattern.test(given) ? given : randomUUID();
    },
    // Our own onResponse line below replaces Fastify's two per request, with tenant and user ids added.
    logController: new LogController({ disableRequestLogging: true }),
  });

  app.decorate("db", db);
  app.decorate(
    "auth",
    createAuth(db.db, {
      idleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT_SECONDS,
      absoluteLifetimeSeconds: env.SESSION_ABSOLUTE_LIFETIME_SECONDS,
      secureCookies: env.cookieSecure,
      cacheSeconds: env.SESSION_CACHE_SECONDS,
      encryptionKeys: encryptionKeys(env),
      platformAdminEmails: env.PLATFORM_ADMIN_EMAILS,
    }),
  );
  app.decorate("lifecycle", { draining: false });

  // Errors outside tRPC (body too large, malformed requests): tRPC's envelope, never a stack or internals.
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, "request failed");
      return sendTrpcError(reply, "INTERNAL_SERVER_ERROR", "Internal server error");
    }
    if (status === 413) return sendTrpcError(reply, "PAYLOAD_TOO_LARGE", "Request body is too large");
    if (status === 429) return sendTrpcError(reply, "TOO_MANY_REQUESTS", "Too many requests");
    return sendTrpcError(reply, "BAD_REQUEST", error.message || "Bad request");
  });

  app.addHook("onRequest", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  // One structured line per request. Like every line of a request it carries reqId, and once known the user's id
  // and the admitted tenant's id (bound by plugins/trpc.ts); `tenant` is the slug the request named.
  app.addHook("onResponse", async (request, reply) => {
    if (request.url === "/healthz" || request.url === "/readyz" || request.url === "/metrics") return;
    request.log.info(
      {
        method: request.method,
        // A survey link's token is a credential: the route, not the link, goes to the logs.
        // (Download links carry theirs in the query string, which is dropped here.)
        path: request.routeOptions.url === "/csat/:token" ? "/csat/:token" : request.url.split("?")[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
        tenant: request.tenantSlug,
      },
      "request",
    );
  });

  await app.register(securityHeaders, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "https:"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: env.cookieSecure ? [] : null,
      },
    },
    hsts: env.cookieSecure,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  await app.register(tenantHost, { baseDomain: env.BASE_DOMAIN });
  await app.register(csrf);
  await app.register(sessionCache, { enabled: env.SESSION_CACHE_SECONDS > 0 });
  await app.register(metrics, { procedures: new Set(Object.keys(appRouter._def.procedures)) });
  await app.register(health);
  await app.register(events, { maxPerUser: env.SSE_MAX_STREAMS_PER_USER, recheckMs: env.SSE_RECHECK_SECONDS * 1000 });
  // After events: its preClose (waiting for in-flight responses) runs after the streams have been ended.
  await app.register(connections, { graceMs: env.SHUTDOWN_DRAIN_SECONDS * 1000 });
  await app.register(retryAfter);
  await app.register(trpc, {
    baseDomain: env.BASE_DOMAIN,
    maxBatchSize: 10,
    config: {
      defaultTier: env.DEFAULT_TIER,
      maxTenantsPerUser: env.MAX_TENANTS_PER_USER,
      authRateLimitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE,
      allowHttpLocalhost: env.WEBHOOKS_ALLOW_HTTP_LOCALHOST ?? false,
      archiveGraceDays: env.ARCHIVE_GRACE_DAYS,
    },
  });
  await app.register(openapi, { secure: env.cookieSecure });
  await app.register(handoff);
  await app.register(csat, { limitPerMinute: env.AUTH_RATE_LIMIT_PER_MINUTE });
  await app.register(twilioHooks);
  await app.register(exportRoutes, { store: exportStoreOf(env) });
  if (webRoot) await app.register(web, { root: webRoot });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
