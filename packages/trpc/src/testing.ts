/**
 * Helpers for router tests: a caller per identity, built on a real test database (see @switchboard/db/testing).
 * Tests call procedures exactly as the API does, minus HTTP.
 */
import { randomBytes } from "node:crypto";
import { type AuthUser, createAuth } from "@switchboard/auth";
import { and, desc, eq } from "drizzle-orm";
import { type DbHandle, emailOutbox, type Features, memberships, type Role, tenants, type Tenant, users, withScope } from "@switchboard/db";
import { type JobRunner, type JobRunnerOptions, startJobRunner } from "@switchboard/jobs";
import type { TestDatabase } from "@switchboard/db/testing";
import { createApiKey } from "./routers/api-keys/api-keys.service";
import { aiThread } from "./routers/integrations/ai-thread";
import type { EventHub } from "./lib/event-hub";
import type { Cookie } from "@switchboard/auth";
import type { AppConfig, Context } from "./context";
import { appRouter } from "./root";
import { createCallerFactory } from "./trpc";

const createCaller = createCallerFactory(appRouter);

/** One key per test process: what one caller seals, another opens. */
const testEncryptionKey = randomBytes(32);

export function testAuth(db: DbHandle, opts: { platformAdminEmails?: string[] } = {}) {
  return createAuth(db.db, {
    idleTimeoutSeconds: 1800,
    absoluteLifetimeSeconds: 43200,
    secureCookies: false,
    encryptionKeys: [testEncryptionKey],
    platformAdminEmails: opts.platformAdminEmails ?? [],
  });
}

export interface CallerOptions {
  user?: AuthUser | null;
  sessionId?: string | null;
  tenantSlug?: string | null;
  apiKey?: string | null;
  ip?: string;
  userAgent?: string;
  onAuditDenialDropped?: () => void;
  cookies?: Cookie[];
  events?: EventHub | null;
  config?: Partial<AppConfig>;
  /** PLATFORM_ADMIN_EMAILS as the API would pass it. */
  platformAdminEmails?: string[];
}

export function callerFor(db: DbHandle, opts: CallerOptions = {}) {
  const ctx: Context = {
    db,
    auth: testAuth(db, { platformAdminEmails: opts.platformAdminEmails ?? [] }),
    baseDomain: "localhost",
    tenantSlug: opts.tenantSlug ?? null,
    user: opts.user ?? null,
    sessionId: opts.sessionId ?? (opts.user ? "test-session" : null),
    apiKey: opts.apiKey ?? null,
    request: { ip: opts.ip ?? "127.0.0.1", userAgent: opts.userAgent ?? "vitest", protocol: "http", port: ":3000" },
    onAuditDenialDropped: opts.onAuditDenialDropped,
    events: opts.events ?? null,
    setCookie: (c) => opts.cookies?.push(c),
    // Tests sign many users up from one address: the per-address auth limit is off unless a test sets it.
    config: { authRateLimitPerMinute: 0, ...opts.config },
  };
  return createCaller(ctx);
}

let counter = 0;

/**
 * Registers a user and returns them with a real session id. Their address counts as verified (as after clicking
 * the mailed link) unless `verified: false`.
 */
export async function createUser(
  db: DbHandle,
  name = "User",
  opts: { verified?: boolean } = {},
): Promise<AuthUser & { sessionId: string; token: string }> {
  counter += 1;
  const email = `${name.toLowerCase().replace(/\W/g, "")}-${counter}-${Date.now()}@example.test`;
  const cookies: Cookie[] = [];
  const { user } = await callerFor(db, { cookies }).auth.register({ email, password: "correct horse battery", name });
  const verified = opts.verified ?? true;
  if (verified) {
    await withScope(db, { userId: user.id }, (tx) => tx.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, user.id)));
  }
  const session = await testAuth(db).validate(cookies[0]!.value);
  return {
    ...user,
    isPlatformAdmin: false,
    emailVerified: verified,
    mfaEnabled: false,
    sessionId: session!.sessionId,
    token: cookies[0]!.value,
  };
}

/** A caller acting as `user` inside tenant `slug`. */
export function asUser(db: DbHandle, user: AuthUser & { sessionId: string }, slug: string | null = null) {
  return callerFor(db, { user, sessionId: user.sessionId, tenantSlug: slug });
}

/** A caller authenticated by an API key (no session), optionally naming a tenant slug as Host/x-tenant would. */
export function asKey(db: DbHandle, apiKey: string, slug: string | null = null) {
  return callerFor(db, { apiKey, tenantSlug: slug });
}

/** Adds `userId` to a tenant directly in the database (fixture), as the app role inside that tenant. */
export async function addMember(db: DbHandle, tenantId: string, userId: string, role: Role) {
  await withScope(db, { tenantId }, (tx) => tx.insert(memberships).values({ tenantId, userId, role }));
}

/** Creates a tenant directly (fixture), with the given members; no audit entry, no session needed. */
export async function createTenantFixture(
  db: DbHandle,
  opts: { slug: string; name?: string; parentId?: string | null; tier?: Tenant["tier"]; maxUsers?: number; members?: [string, Role][] },
): Promise<Tenant> {
  const id = crypto.randomUUID();
  return withScope(db, { tenantId: id, parentTenantId: opts.parentId ?? null, userId: opts.members?.[0]?.[0] ?? crypto.randomUUID() }, async (tx) => {
    await tx.insert(tenants).values({
      id,
      slug: opts.slug,
      name: opts.name ?? opts.slug,
      parentId: opts.parentId ?? null,
      tier: opts.tier ?? "enterprise",
      maxUsers: opts.maxUsers ?? 50,
    });
    for (const [userId, role] of opts.members ?? []) await tx.insert(memberships).values({ tenantId: id, userId, role });
    const [row] = await tx.select().from(tenants).where(eq(tenants.id, id));
    return row!;
  });
}

/**
 * The token of the newest invitation mailed to `email`, read from the outbox with the owner connection (past RLS),
 * as the invitee would from the link in their mail.
 */
export async function mailedInvitationToken(owner: DbHandle, email: string): Promise<string> {
  const [mail] = await owner.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.to, email), eq(emailOutbox.kind, "invitation")))
    .orderBy(desc(emailOutbox.createdAt))
    .limit(1);
  const token = mail && /\/invitations\/accept\?token=([\w%-]+)/.exec(mail.body)?.[1];
  if (!token) throw new Error(`no invitation mailed to ${email}`);
  return decodeURIComponent(token);
}

/** Issues an API key in a tenant (fixture) and returns the key itself. */
export async function createKeyFixture(db: DbHandle, tenantId: string, role: "admin" | "agent" | "viewer", name = `${role} key`) {
  return withScope(db, { tenantId }, (tx) => createApiKey(tx, tenantId, null, { name, role }));
}

/** The tRPC error code a call rejected with, or "OK". */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (err) {
    const e = err as { code?: unknown; name?: string };
    return e.name === "TRPCError" && typeof e.code === "string" ? e.code : `unexpected ${String(err)}`;
  }
}

/** Calls a procedure by its path (`members.add`), for table-driven tests. */
export function callPath(caller: ReturnType<typeof callerFor>, path: string, input?: unknown): Promise<unknown> {
  // Nested routers too (`platform.tenants.setPlan`).
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], caller);
  if (typeof fn !== "function") throw new Error(`no procedure ${path}`);
  return (fn as (input?: unknown) => Promise<unknown>)(input);
}

type TestUser = Awaited<ReturnType<typeof createUser>>;

/**
 * A tenant with one user per role (owner, admin, agent, viewer) and a caller factory for them. `tier` and
 * `features` are written directly (fixture) as the tenant's plan, as the platform would with setPlan.
 */
export async function createTenantWithRoles(
  db: DbHandle,
  slug: string,
  opts: { tier?: "free" | "pro" | "enterprise"; features?: Partial<Features> } = {},
) {
  const owner = await createUser(db, "Owner");
  const [admin, agent, viewer] = await Promise.all([createUser(db, "Admin"), createUser(db, "Agent"), createUser(db, "Viewer")]);
  const tenant = await asUser(db, owner).tenants.create({ name: `Tenant ${slug}`, slug });
  await addMember(db, tenant.id, admin.id, "admin");
  await addMember(db, tenant.id, agent.id, "agent");
  await addMember(db, tenant.id, viewer.id, "viewer");
  if (opts.tier || opts.features) await setTenantPlan(db, tenant.id, opts);
  return {
    tenant,
    owner,
    admin,
    agent,
    viewer,
    as: (user: TestUser) => asUser(db, user, slug),
  };
}

export async function setTenantPlan(
  db: DbHandle,
  tenantId: string,
  opts: { tier?: "free" | "pro" | "enterprise"; features?: Partial<Features> },
) {
  await withScope(db, { tenantId }, (tx) =>
    tx
      .update(tenants)
      .set({ ...(opts.tier ? { tier: opts.tier } : {}), ...(opts.features ? { planFeatures: opts.features } : {}) })
      .where(eq(tenants.id, tenantId)),
  );
}

/** Follows `nextCursor` to the end; returns every item and the number of pages. */
export async function allPages<T>(
  page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await page(cursor);
    items.push(...res.items);
    pages += 1;
    cursor = res.nextCursor ?? undefined;
    if (pages > 1000) throw new Error("pagination does not end");
  } while (cursor);
  return { items, pages };
}

/**
 * The real job runner on a test database, with AI replies answered by the built-in echo provider. Idle queues are
 * polled every 30 s only: a job done within a test's deadline was woken at its enqueue's commit. `extra` adds options
 * (e.g. `twilio`).
 */
export function startTestJobRunner(t: TestDatabase, extra: Partial<JobRunnerOptions> = {}): Promise<JobRunner> {
  return startJobRunner({
    db: t.app,
    url: t.appUrl ?? undefined,
    mailer: null,
    mailSendTimeoutSeconds: 10,
    sessionAbsoluteLifetimeSeconds: 3600,
    log: { info() {}, warn() {}, error() {} },
    pollingIntervalSeconds: 30,
    ai: { defaults: { baseUrl: "echo", apiKey: null, model: "echo" }, timeoutSeconds: 5, allowHttpLocalhost: false, openSecret: () => "", thread: aiThread },
    ...extra,
  });
}
