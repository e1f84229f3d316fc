/**
 * What every procedure receives. The API (apps/api/src/plugins/trpc.ts) builds it per request from the HTTP
 * layer; tests build it directly with `createCallerContext`. Edit here when a request-level fact is added.
 */
import type { Auth, AuthUser, Cookie } from "@switchboard/auth";
import type { DbHandle } from "@switchboard/db";
import type { EventHub } from "./lib/event-hub";

export interface RequestInfo {
  ip: string | null;
  userAgent: string | null;
  /** Scheme and port the browser used, to build tenant URLs (e.g. "http", ":3000"). */
  protocol: "http" | "https";
  port: string;
}

/** One finished procedure call: its path, kind, duration and tRPC code ("OK" when it succeeded). */
export interface ProcedureCall {
  path: string;
  type: "query" | "mutation" | "subscription";
  seconds: number;
  code: string;
}

export interface Context {
  db: DbHandle;
  auth: Auth;
  baseDomain: string;
  /** Slug from the Host's subdomain or the x-tenant header; null on the bare domain. */
  tenantSlug: string | null;
  user: AuthUser | null;
  sessionId: string | null;
  /**
   * The `sk_…` key from `Authorization: Bearer`. When present the request is authenticated by the key alone: the
   * API does not read the session cookie, so `user` and `sessionId` are null.
   */
  apiKey: string | null;
  request: RequestInfo;
  /** This process's fan-out of live engagement events (one per app instance); null where none runs. */
  events?: EventHub | null;
  /**
   * Called for each outsider's `denied` audit entry dropped past the per-tenant cap (the API counts them in
   * /metrics; packages stay free of a metrics library). Absent in direct calls.
   */
  onAuditDenialDropped?: () => void;
  /**
   * Called once a tenant procedure has admitted its caller: the tenant's id and who acts (the API binds them to the
   * request's log lines). Absent in direct calls.
   */
  onAdmitted?: (caller: { tenantId: string; userId: string | null; apiKeyId: string | null }) => void;
  /** Called once per procedure call, batched or not, with its duration and outcome (/metrics). Absent in direct calls. */
  onProcedure?: (call: ProcedureCall) => void;
  /** Sets a cookie on the response (no-op in direct calls). */
  setCookie: (cookie: Cookie) => void;
  /** Settings from the API's environment (apps/api/src/env.ts); absent fields take the defaults in `configOf`. */
  config?: Partial<AppConfig>;
}

export interface AppConfig {
  /** DEFAULT_TIER: the tier of new organisations. */
  defaultTier: "free" | "pro" | "enterprise";
  /** MAX_TENANTS_PER_USER: self-service organisations one user may create. */
  maxTenantsPerUser: number;
  /** AUTH_RATE_LIMIT_PER_MINUTE: calls per minute and client address to the auth procedures open without a session; 0: off. */
  authRateLimitPerMinute: number;
  /**
   * WEBHOOKS_ALLOW_HTTP_LOCALHOST: addresses a tenant supplies (webhook URLs, an AI agent's baseUrl) may be
   * http://localhost, http://127.0.0.1 or http://[::1] (development and tests only; refused in production).
   */
  allowHttpLocalhost: boolean;
  /** ARCHIVE_GRACE_DAYS: days between tenant.archive and the purge of the tenant's data (platform.tenants.restore until then). */
  archiveGraceDays: number;
}

export const defaultConfig: AppConfig = {
  defaultTier: "free",
  maxTenantsPerUser: 10,
  authRateLimitPerMinute: 20,
  allowHttpLocalhost: false,
  archiveGraceDays: 30,
};

/** The request's configuration with defaults filled in. */
export function configOf(ctx: Pick<Context, "config">): AppConfig {
  const c = ctx.config ?? {};
  return {
    defaultTier: c.defaultTier ?? defaultConfig.defaultTier,
    maxTenantsPerUser: c.maxTenantsPerUser ?? defaultConfig.maxTenantsPerUser,
    authRateLimitPerMinute: c.authRateLimitPerMinute ?? defaultConfig.authRateLimitPerMinute,
    allowHttpLocalhost: c.allowHttpLocalhost ?? defaultConfig.allowHttpLocalhost,
    archiveGraceDays: c.archiveGraceDays ?? defaultConfig.archiveGraceDays,
  };
}
