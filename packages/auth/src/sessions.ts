/**
 * Sessions: lucia v3 over our own `sessions` table. The cookie carries a 256-bit random token; the table stores
 * its SHA-256 as the session id, so lucia only ever sees hashes. Idle timeout is lucia's sliding expiry;
 * the absolute lifetime is enforced here from `created_at`. Edit here to change session policy.
 *
 * Validated sessions may be cached in the process for `cacheSeconds` (keyed by the token's hash), so a request
 * does not read the session row. A cached session still obeys the idle and absolute expiry (checked on every
 * hit against the cached expiry, which only ever lags the stored one), and once it is in the second half of its
 * idle window the next request goes to the database, where lucia extends it (a write at most once per half
 * window, as without the cache). Revocations evict here at once and are published with NOTIFY on
 * `session_revoked` (payload `s:<session id hash>` or `u:<user id>`); every replica LISTENs (apps/api
 * plugins/session-cache.ts) and evicts. Staleness bound: none while notifications arrive; if one is lost (the
 * LISTEN connection drops; the cache is cleared on reconnect) a revoked session or a changed user attribute lives
 * on another replica for at most `cacheSeconds`.
 */
import { and, eq, lt, ne, sql } from "drizzle-orm";
import { type Adapter, type DatabaseSession, type DatabaseUser, Lucia, TimeSpan } from "lucia";
import { type Database, sessionHandoffs, sessions, users } from "@switchboard/db";
import { createSecretBox, type SecretBox } from "./crypto";
import { hashToken, randomToken } from "./tokens";

export interface AuthUser {
  id: string;
  email: string;
  name: string;
  isPlatformAdmin: boolean;
  /** The address was proven (verification link or an invitation link mailed to it). */
  emailVerified: boolean;
  mfaEnabled: boolean;
}

export interface SessionMeta {
  ip?: string | null;
  userAgent?: string | null;
}

export interface SessionConfig {
  idleTimeoutSeconds: number;
  absoluteLifetimeSeconds: number;
  /** Secure cookies (behind TLS): adds Secure and the `__Host-` prefix. */
  secureCookies: boolean;
  /** How long a validated session is served from this process's memory; 0 (the default) disables. */
  cacheSeconds?: number;
  /** ENCRYPTION_KEY (and older keys still able to open): seals TOTP secrets at rest. The first one seals. */
  encryptionKeys: readonly Uint8Array[];
  /** PLATFORM_ADMIN_EMAILS: these accounts become platform admins once their address is verified. */
  platformAdminEmails?: readonly string[];
}

/** NOTIFY channel of session revocations (payload `s:<session id>` or `u:<user id>`). */
export const sessionRevokedChannel = "session_revoked";

interface CachedSession {
  user: AuthUser;
  userId: string;
  expiresAt: number;
  createdAt: number;
  cachedUntil: number;
}

/** Bound on cached sessions per process; the oldest entry goes first. */
const maxCachedSessions = 50_000;

declare module "lucia" {
  interface Register {
    Lucia: Lucia<{ createdAt: Date }, Omit<AuthUser, "id">>;
    DatabaseUserAttributes: Omit<AuthUser, "id">;
    DatabaseSessionAttributes: { createdAt: Date; ip: string | null; userAgent: string | null };
  }
}

function adapter(db: Database): Adapter {
  const userColumns = {
    id: users.id,
    email: users.email,
    name: users.name,
    isPlatformAdmin: users.isPlatformAdmin,
    emailVerified: sql<boolean>`${users.emailVerifiedAt} is not null`,
    mfaEnabled: sql<boolean>`${users.mfaEnabledAt} is not null`,
  };
  const toSession = (s: typeof sessions.$inferSelect): DatabaseSession => ({
    id: s.id,
    userId: s.userId,
    expiresAt: s.expiresAt,
    attributes: { createdAt: s.createdAt, ip: s.ip, userAgent: s.userAgent },
  });
  return {
    async getSessionAndUser(sessionId) {
      const [row] = await db
        .select({ session: sessions, user: userColumns })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(eq(sessions.id, sessionId));
      if (!row) return [null, null];
      const { id, ...attributes } = row.user;
      const user: DatabaseUser = { id, attributes };
      return [toSession(row.session), user];
    },
    async getUserSessions(userId) {
      const rows = await db.select().from(sessions).where(eq(sessions.userId, userId));
      return rows.map(toSession);
    },
    async setSession(session) {
      await db.insert(sessions).values({
        id: session.id,
        userId: session.userId,
        expiresAt: session.expiresAt,
        createdAt: session.attributes.createdAt,
        lastSeenAt: session.attributes.createdAt,
        ip: session.attributes.ip,
        userAgent: session.attributes.userAgent,
      });
    },
    // Lucia extends a session at most once per half idle window: the moment to note that it was seen.
    async updateSessionExpiration(sessionId, expiresAt) {
      await db.update(sessions).set({ expiresAt, lastSeenAt: new Date() }).where(eq(sessions.id, sessionId));
    },
    async deleteSession(sessionId) {
      await db.delete(sessions).where(eq(sessions.id, sessionId));
    },
    async deleteUserSessions(userId) {
      await db.delete(sessions).where(eq(sessions.userId, userId));
    },
    async deleteExpiredSessions() {
      await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
    },
  };
}

export interface Cookie {
  name: string;
  value: string;
  attributes: { httpOnly?: boolean; secure?: boolean; sameSite?: "lax" | "strict" | "none"; path?: string; maxAge?: number };
}

export type Auth = ReturnType<typeof createAuth>;

export function createAuth(db: Database, config: SessionConfig) {
  const lucia = new Lucia(adapter(db), {
    sessionExpiresIn: new TimeSpan(config.idleTimeoutSeconds, "s"),
    sessionCookie: {
      name: config.secureCookies ? "__Host-sb_session" : "sb_session",
      expires: false,
      attributes: { secure: config.secureCookies, sameSite: "lax" },
    },
    getUserAttributes: (a) => ({
      email: a.email,
      name: a.name,
      isPlatformAdmin: a.isPlatformAdmin,
      emailVerified: a.emailVerified,
      mfaEnabled: a.mfaEnabled,
    }),
    getSessionAttributes: (a) => ({ createdAt: a.createdAt }),
  });

  function cookie(value: string, maxAge?: number): Cookie {
    const c = value ? lucia.createSessionCookie(value) : lucia.createBlankSessionCookie();
    return {
      name: c.name,
      value: c.value,
      attributes: {
        httpOnly: true,
        secure: config.secureCookies,
        sameSite: "lax",
        path: "/",
        ...(maxAge !== undefined ? { maxAge } : {}),
      },
    };
  }

  const cacheMs = Math.max(0, config.cacheSeconds ?? 0) * 1000;
  const idleMs = config.idleTimeoutSeconds * 1000;
  const cache = new Map<string, CachedSession>();
  /** Bumped by every eviction: a read that overlapped one is not cached (it may predate the revocation). */
  let evictions = 0;

  function evict(payload: string) {
    evictions++;
    if (payload.startsWith("s:")) cache.delete(payload.slice(2));
    else if (payload.startsWith("u:")) {
      const userId = payload.slice(2);
      for (const [id, c] of cache) if (c.userId === userId) cache.delete(id);
    }
  }

  /** Evicts here, then tells the other replicas (after the delete, so a replica that re-reads finds nothing). */
  async function revoked(payload: string) {
    evict(payload);
    if (cacheMs > 0) await db.execute(sql`select pg_notify(${sessionRevokedChannel}, ${payload})`);
  }

  function fromCache(sessionId: string, now: number): AuthUser | null | undefined {
    const c = cache.get(sessionId);
    if (!c) return undefined;
    if (now >= c.cachedUntil) {
      cache.delete(sessionId);
      return undefined;
    }
    // Expired (idle or absolute): the database decides (and deletes) as without the cache.
    if (now >= c.expiresAt || now - c.createdAt > config.absoluteLifetimeSeconds * 1000) {
      cache.delete(sessionId);
      return undefined;
    }
    // Second half of the idle window: let lucia extend it in the database.
    if (c.expiresAt - now < idleMs / 2) return undefined;
    return c.user;
  }

  const secrets: SecretBox = createSecretBox(config.encryptionKeys);
  const platformAdminEmails: ReadonlySet<string> = new Set(config.platformAdminEmails?.map((e) => e.trim().toLowerCase()));

  return {
    cookieName: lucia.sessionCookieName,
    /** Seals and opens secrets kept at rest (TOTP secrets); see crypto.ts. */
    secrets,
    platformAdminEmails,

    /** Starts a new session (never reuses one: fixation-safe). Returns the cookie to set. */
    async createSession(userId: string, meta: SessionMeta = {}) {
      const token = randomToken();
      await lucia.createSession(
        userId,
        { createdAt: new Date(), ip: meta.ip ?? null, userAgent: meta.userAgent?.slice(0, 512) ?? null },
        { sessionId: hashToken(token) },
      );
      return { token, sessionId: hashToken(token), cookie: cookie(token, config.absoluteLifetimeSeconds) };
    },

    /** The session's user, or null when absent, expired (idle or absolute) or revoked. */
    async validate(token: string | undefined | null): Promise<{ user: AuthUser; sessionId: string } | null> {
      if (!token || token.length > 128) return null;
      const sessionId = hashToken(token);
      if (cacheMs > 0) {
        const hit = fromCache(sessionId, Date.now());
        if (hit) return { user: hit, sessionId };
      }
      const evictionsBefore = evictions;
      const { session, user } = await lucia.validateSession(sessionId);
      if (!session || !user) return null;
      const now = Date.now();
      const age = now - session.createdAt.getTime();
      if (age > config.absoluteLifetimeSeconds * 1000) {
        await lucia.invalidateSession(sessionId);
        return null;
      }
      const authUser: AuthUser = {
        id: user.id,
        email: user.email,
        name: user.name,
        isPlatformAdmin: user.isPlatformAdmin,
        emailVerified: user.emailVerified,
        mfaEnabled: user.mfaEnabled,
      };
      if (cacheMs > 0 && evictions === evictionsBefore) {
        cache.delete(sessionId);
        if (cache.size >= maxCachedSessions) cache.delete(cache.keys().next().value!);
        cache.set(sessionId, {
          user: authUser,
          userId: user.id,
          expiresAt: session.expiresAt.getTime(),
          createdAt: session.createdAt.getTime(),
          cachedUntil: now + cacheMs,
        });
      }
      return { user: authUser, sessionId };
    },

    async invalidate(sessionId: string) {
      await lucia.invalidateSession(sessionId);
      await revoked(`s:${sessionId}`);
    },

    /** Ends every session of the user but `keepSessionId` (password change). */
    async invalidateOtherSessions(userId: string, keepSessionId: string) {
      await db.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
      // Evicts the kept session from caches too: it is simply read again.
      await revoked(`u:${userId}`);
    },

    /** Ends every session of the user (password reset). */
    async invalidateAllSessions(userId: string) {
      await db.delete(sessions).where(eq(sessions.userId, userId));
      await revoked(`u:${userId}`);
    },

    /**
     * The user's attributes changed (MFA, verified address, platform admin): cached copies are dropped here and on
     * every replica, so the next request reads them again. Sessions stay valid.
     */
    userChanged: (userId: string) => revoked(`u:${userId}`),

    /** Applies a `session_revoked` notification from another replica. `null`: clear all (LISTEN re-established). */
    evictCached(payload: string | null) {
      if (payload === null) cache.clear();
      else evict(payload);
    },

    blankCookie: () => cookie(""),

    /** A single-use, 60-second token that signs the user in on another tenant's subdomain. */
    async createHandoff(userId: string, targetTenantId: string): Promise<string> {
      const token = randomToken();
      await db.insert(sessionHandoffs).values({
        tokenHash: hashToken(token),
        userId,
        targetTenantId,
        expiresAt: new Date(Date.now() + 60_000),
      });
      return token;
    },

    /** Consumes a hand-off token (deleted whether or not it is still valid). */
    async consumeHandoff(token: string): Promise<{ userId: string; targetTenantId: string } | null> {
      if (!token || token.length > 128) return null;
      const [row] = await db
        .delete(sessionHandoffs)
        .where(eq(sessionHandoffs.tokenHash, hashToken(token)))
        .returning();
      if (!row || row.expiresAt.getTime() < Date.now()) return null;
      return { userId: row.userId, targetTenantId: row.targetTenantId };
    },

    deleteExpired: () => lucia.deleteExpiredSessions(),
  };
}
