import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import {
  appRole,
  currentParentTenantId,
  currentTenantId,
  currentTenantSlug,
  currentUserId,
  currentUserIsPlatformAdmin,
} from "./policies";
import { users } from "./users";

export const tenantTier = pgEnum("tenant_tier", ["free", "pro", "enterprise"]);
export const tenantStatus = pgEnum("tenant_status", ["active", "suspended", "archived"]);
export const memberRole = pgEnum("member_role", ["owner", "admin", "agent", "viewer"]);

export interface Branding {
  primaryColor: string;
  secondaryColor?: string;
  logoUrl?: string;
  displayName?: string;
}

export interface Features {
  voiceAgents: boolean;
  chatAgents: boolean;
  callRecording: boolean;
  analytics: boolean;
  maxAgents: number;
  maxConcurrentCalls: number;
}

export type TenantSettings = Record<string, string | number | boolean | null>;

/** How new conversations find a person (contract v2, conversations). */
export interface Routing {
  mode: "manual" | "round_robin";
  maxOpenPerAgent: number;
}

/** Opening hours in the tenant's IANA time zone; `day` 0 is Sunday, times are "HH:MM" (close after open). */
export interface BusinessHours {
  timezone: string;
  days: { day: number; open: string; close: string }[];
}

export interface Sla {
  /** Business minutes until the first response is due; null: no promise. */
  firstResponseMinutes: number | null;
}

/** AI agents answering conversations (contract v2, integrations). Null: off. */
export interface AiReplies {
  enabled: boolean;
  /** Channels whose inbound messages the agent answers. */
  channels: string[];
  /** The chat agent that answers (its prompt, greeting and provider). */
  agentId: string | null;
  /** A customer message containing one of these (case-insensitive) hands the conversation to people. */
  handoffKeywords: string[];
  /** AI answers per conversation before it goes to people. */
  maxTurns: number;
}

/**
 * How long a tenant keeps personal content (contract v2, privacy): a daily job removes call transcripts and message
 * bodies older than this many days (the rows and their metadata stay). Null or absent: kept.
 */
export interface Retention {
  transcriptsDays?: number | null;
  messagesDays?: number | null;
}

/** Tenant ids the current user is a member of; used by the policies below. */
const myTenantIds = sql`(select m.tenant_id from memberships m where m.user_id = ${currentUserId})`;

export const tenants = pgTable(
  "tenants",
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Sub-tenants (departments) point at their organisation; one level deep. */
    parentId: uuid().references((): AnyPgColumn => tenants.id, { onDelete: "restrict" }),
    slug: text().notNull().unique(),
    name: text().notNull(),
    tier: tenantTier().notNull().default("free"),
    status: tenantStatus().notNull().default("active"),
    maxUsers: integer().notNull().default(10),
    /**
     * The platform's grant beyond the tier (set by platform.tenants.setPlan only). The tenant's own `features`
     * may switch things off or lower limits below tier + plan, never raise them.
     */
    planFeatures: jsonb().$type<Partial<Features>>().notNull().default({}),
    /** The request budget per minute set by the platform; null: the tier's. */
    requestsPerMinute: integer(),
    /** Who created it: caps self-service organisations per user (MAX_TENANTS_PER_USER). */
    createdBy: uuid().references((): AnyPgColumn => users.id, { onDelete: "set null" }),
    /** Kept in step with memberships by the trigger in migrations (same transaction as the change). */
    memberCount: integer().notNull().default(0),
    /** Null fields fall back to the parent's (see tenant.service resolveInherited). */
    branding: jsonb().$type<Partial<Branding>>().notNull().default({}),
    features: jsonb().$type<Partial<Features>>().notNull().default({}),
    settings: jsonb().$type<TenantSettings>().notNull().default({}),
    /** Null: the defaults (manual routing; always open; no SLA). Departments have their own. */
    routing: jsonb().$type<Routing>(),
    businessHours: jsonb().$type<BusinessHours>(),
    sla: jsonb().$type<Sla>(),
    aiReplies: jsonb().$type<AiReplies>(),
    retention: jsonb().$type<Retention>(),
    /** Why a platform admin suspended it (shown to its members); null unless suspended. */
    suspendedReason: text(),
    suspendedAt: timestamp({ withTimezone: true }),
    /** tenant.archive: when, and when the grace period ends and the purge job deletes its data for good. */
    archivedAt: timestamp({ withTimezone: true }),
    purgeAfter: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index().on(t.parentId),
    index().on(t.createdBy),
    // The purge job's search: archived tenants past their grace period.
    index("tenants_purge_after_idx").on(t.purgeAfter).where(sql`status = 'archived'`),
    check("tenants_suspended_reason_length", sql`char_length(${t.suspendedReason}) <= 500`),
    check("tenants_slug_format", sql`${t.slug} ~ '^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$'`),
    check("tenants_max_users_positive", sql`${t.maxUsers} > 0`),
    pgPolicy("members see their tenants and the departments below them", {
      for: "select",
      to: appRole,
      using: sql`${t.id} = ${currentTenantId}
        or ${t.id} = ${currentParentTenantId}
        or ${t.slug} = ${currentTenantSlug}
        or ${t.id} in ${myTenantIds}
        or ${t.parentId} in ${myTenantIds}`,
    }),
    // Lets a tenant (and its API keys, which have no user) list its departments.
    pgPolicy("a tenant sees its departments", {
      for: "select",
      to: appRole,
      using: sql`${t.parentId} = ${currentTenantId}`,
    }),
    pgPolicy("platform admins see every tenant", {
      for: "select",
      to: appRole,
      using: currentUserIsPlatformAdmin,
    }),
    pgPolicy("signed-in users create the tenant they are scoped to", {
      for: "insert",
      to: appRole,
      withCheck: sql`${t.id} = ${currentTenantId} and ${currentUserId} is not null`,
    }),
    pgPolicy("a tenant updates only itself", {
      for: "update",
      to: appRole,
      using: sql`${t.id} = ${currentTenantId}`,
      withCheck: sql`${t.id} = ${currentTenantId}`,
    }),
  ],
);

export const memberships = pgTable(
  "memberships",
  {
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: memberRole().notNull(),
    /** Millisecond precision: members.list's cursor (joined, user) compares it exactly. */
    createdAt: timestamp({ withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId] }),
    index().on(t.userId),
    pgPolicy("members of a tenant see its memberships, users see their own", {
      for: "select",
      to: appRole,
      using: sql`${t.tenantId} = ${currentTenantId} or ${t.userId} = ${currentUserId}`,
    }),
    pgPolicy("memberships are written inside their tenant", {
      for: "insert",
      to: appRole,
      withCheck: sql`${t.tenantId} = ${currentTenantId}`,
    }),
    pgPolicy("memberships are changed inside their tenant", {
      for: "update",
      to: appRole,
      using: sql`${t.tenantId} = ${currentTenantId}`,
      withCheck: sql`${t.tenantId} = ${currentTenantId}`,
    }),
    pgPolicy("memberships are removed inside their tenant", {
      for: "delete",
      to: appRole,
      using: sql`${t.tenantId} = ${currentTenantId}`,
    }),
  ],
);

export type Tenant = typeof tenants.$inferSelect;
export type NewTenant = typeof tenants.$inferInsert;
export type Membership = typeof memberships.$inferSelect;
export type Role = (typeof memberRole.enumValues)[number];
