import { and, eq, gt, isNull, ne, type SQL, sql } from "drizzle-orm";
import {
  agents,
  type AiReplies,
  type Branding,
  type BusinessHours,
  defaultBranding,
  type Features,
  invitations,
  type Retention,
  type Routing,
  type Sla,
  type Tenant,
  type Role,
  type TenantSettings,
  tenants,
  tierDefaults,
  type Tx,
} from "@switchboard/db";
import { weeklyOpenMinutes } from "../../lib/business-hours";
import { afterCursor, bySlug, orderOf, toPage } from "../../lib/cursor";
import { badRequest, forbidden, notFound, preconditionFailed } from "../../errors";

export interface TenantView {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
  tier: Tenant["tier"];
  status: Tenant["status"];
  /** tenant.archive: when, and the end of the grace period (then the purge job deletes it); null unless archived. */
  archivedAt: string | null;
  purgeAfter: string | null;
  maxUsers: number;
  memberCount: number;
  branding: Branding;
  features: Features;
  settings: TenantSettings;
  security: { requireMfa: boolean };
  /** Conversations: null is the default (manual routing; always open; no first-response promise). A department's own. */
  routing: Routing | null;
  businessHours: BusinessHours | null;
  sla: Sla | null;
  /** AI replies (integrations v2): null is off. A department's own, like routing. */
  aiReplies: AiReplies | null;
  /** Privacy: days transcripts and message bodies are kept (null: kept forever); the daily retention job applies it. */
  retention: { transcriptsDays: number | null; messagesDays: number | null };
  createdAt: string;
}

/** Where `security.requireMfa` lives: a reserved key of the settings jsonb (the generic `settings` input refuses it). */
export const REQUIRE_MFA_SETTING = "security.requireMfa";
/** Settings keys only typed inputs write (`security: { … }`), never the free-form `settings` map. */
export const reservedSettingPrefix = "security.";

/**
 * Whether the tenant's procedures refuse members without MFA: set on the tenant or on its organisation (a
 * department cannot switch off what its organisation requires).
 */
export function tenantRequiresMfa(tenant: Pick<Tenant, "settings">, parent?: Pick<Tenant, "settings"> | null): boolean {
  return tenant.settings[REQUIRE_MFA_SETTING] === true || parent?.settings[REQUIRE_MFA_SETTING] === true;
}

/** The platform's plan for a tenant: its tier's features with the platform's grant (planFeatures) on top. */
function planCap(tenant: Pick<Tenant, "tier" | "planFeatures">): Features {
  return { ...tierDefaults[tenant.tier].features, ...tenant.planFeatures };
}

/** Each value at most the cap's: a switch stays on only if the cap has it on, a limit is lowered to the cap's. */
function clampFeatures(features: Features, cap: Features): Features {
  const out = { ...features } as Record<keyof Features, boolean | number>;
  for (const k of Object.keys(cap) as (keyof Features)[]) {
    const v = out[k];
    const c = cap[k];
    out[k] = typeof c === "boolean" ? Boolean(v) && c : Math.min(Number(v), c);
  }
  return out as unknown as Features;
}

/**
 * What a tenant may switch on, at most: its plan; for a department also at most what its organisation has on
 * (a department never exceeds its organisation).
 */
function featureCap(tenant: Tenant, parent: Tenant | undefined): Features {
  const own = planCap(tenant);
  return parent ? clampFeatures(own, resolveFeatures(parent, undefined)) : own;
}

/**
 * Effective features: the organisation's plan, then its own overrides (switches off, lower limits), then a
 * department's overrides; each level clamped to its cap, so no override ever raises a value past the plan.
 */
export function resolveFeatures(tenant: Tenant, parent: Tenant | undefined): Features {
  const base = parent ? resolveFeatures(parent, undefined) : planCap(tenant);
  return clampFeatures({ ...base, ...tenant.features } as Features, featureCap(tenant, parent));
}

const withoutReserved = (settings: TenantSettings): TenantSettings =>
  Object.fromEntries(Object.entries(settings).filter(([k]) => !k.startsWith(reservedSettingPrefix)));

async function parentOf(tx: Tx, tenant: Tenant): Promise<Tenant | undefined> {
  if (!tenant.parentId) return undefined;
  const [parent] = await tx.select().from(tenants).where(eq(tenants.id, tenant.parentId));
  return parent;
}

/**
 * The tenant as callers see it: a department inherits branding, features and settings from its organisation
 * unless it overrides them; features start from the plan (tier + the platform's grant) and never exceed it.
 */
export async function tenantView(tx: Tx, tenant: Tenant): Promise<TenantView> {
  const parent = await parentOf(tx, tenant);
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    parentId: tenant.parentId,
    tier: tenant.tier,
    status: tenant.status,
    archivedAt: tenant.archivedAt?.toISOString() ?? null,
    purgeAfter: tenant.purgeAfter?.toISOString() ?? null,
    maxUsers: tenant.maxUsers,
    memberCount: tenant.memberCount,
    branding: { ...defaultBranding, ...parent?.branding, ...tenant.branding },
    features: resolveFeatures(tenant, parent),
    settings: withoutReserved({ ...parent?.settings, ...tenant.settings }),
    security: { requireMfa: tenantRequiresMfa(tenant, parent) },
    routing: tenant.routing,
    businessHours: tenant.businessHours,
    sla: tenant.sla,
    aiReplies: tenant.aiReplies,
    retention: { transcriptsDays: tenant.retention?.transcriptsDays ?? null, messagesDays: tenant.retention?.messagesDays ?? null },
    createdAt: tenant.createdAt.toISOString(),
  };
}

/** Applies overrides: a value sets, `null` removes (so the inherited value shows again), absent keeps. */
function applyOverrides<T extends object>(current: T, changes: Record<string, unknown> | undefined): T {
  if (!changes) return current;
  const next = { ...current } as Record<string, unknown>;
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete next[k];
    else if (v !== undefined) next[k] = v;
  }
  return next as T;
}

/** Pending invitations hold a seat until they are accepted, revoked or expire. */
export async function openInvitationCount(tx: Tx, tenantId: string, exceptEmail?: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, sql`now()`),
        exceptEmail ? ne(invitations.email, exceptEmail) : undefined,
      ),
    );
  return row!.n;
}

export interface UpdateTenantInput {
  name?: string | undefined;
  branding?: Record<string, unknown> | undefined;
  features?: Record<string, unknown> | undefined;
  settings?: Record<string, unknown> | undefined;
  security?: { requireMfa?: boolean | undefined } | undefined;
  routing?: Routing | null | undefined;
  businessHours?: BusinessHours | null | undefined;
  sla?: Sla | null | undefined;
  aiReplies?: AiReplies | null | undefined;
  retention?: Retention | null | undefined;
}

/** About a year of opening hours: a longer promise is a mistake (and would make every due date a long walk). */
const maxSlaWeeks = 53;

/** The SLA must be reachable within about a year of the hours it is counted in (null hours: always open). */
function checkSlaFits(hours: BusinessHours | null, sla: Sla | null): void {
  const minutes = sla?.firstResponseMinutes;
  if (!hours || minutes == null) return;
  const perWeek = weeklyOpenMinutes(hours);
  if (minutes > perWeek * maxSlaWeeks) {
    throw badRequest(
      `A first response due in ${minutes} business minutes needs more than a year of these hours (${perWeek} minutes a week): shorten the SLA or widen the hours`,
    );
  }
}

/**
 * The answering agent must be one of this tenant's chat agents (another tenant's is NOT_FOUND, as everywhere), and
 * switching AI replies on needs chat agents in the plan.
 */
async function checkAiReplies(tx: Tx, features: Features, ai: AiReplies): Promise<void> {
  if (ai.agentId) {
    const [agent] = await tx.select({ type: agents.type }).from(agents).where(eq(agents.id, ai.agentId));
    if (!agent) throw notFound("Agent");
    if (agent.type !== "chat") throw badRequest("AI replies are answered by a chat agent: choose one (this is a voice agent)");
  }
  if (!ai.enabled) return;
  if (!ai.agentId) throw badRequest("Choose the chat agent that answers (agentId) before turning AI replies on");
  if (!features.chatAgents) throw forbidden("Chat agents are not enabled for this tenant");
}

/**
 * The new retention setting: given fields replace the current ones, absent ones stay; null (or nothing kept any more)
 * is stored as null, which `tenants_with_retention()` skips. Only an owner decides how long personal data is kept.
 */
function nextRetention(current: Retention | null, input: Retention | null, role: Role): Retention | null {
  if (role !== "owner") throw forbidden("Only an owner changes how long personal data is kept");
  if (input === null) return null;
  const next = {
    transcriptsDays: input.transcriptsDays !== undefined ? input.transcriptsDays : (current?.transcriptsDays ?? null),
    messagesDays: input.messagesDays !== undefined ? input.messagesDays : (current?.messagesDays ?? null),
  };
  return next.transcriptsDays === null && next.messagesDays === null ? null : next;
}

/**
 * A tenant's own changes. The plan (tier, maxUsers, features beyond the tier) is the platform's
 * (platform.tenants.setPlan): here features may only be switched off or limits lowered, never raised past the
 * plan, and for a department never past its organisation.
 */
export async function updateTenant(
  tx: Tx,
  tenant: Tenant,
  input: UpdateTenantInput,
  caller: { mfaEnabled: boolean; role: Role },
): Promise<TenantView> {
  const parent = await parentOf(tx, tenant);
  const cap = featureCap(tenant, parent);
  for (const [k, v] of Object.entries(input.features ?? {})) {
    const c = cap[k as keyof Features];
    if ((typeof v === "boolean" && v && !c) || (typeof v === "number" && v > Number(c))) {
      throw forbidden(
        `${k} = ${String(v)} is beyond this tenant's plan (at most ${String(c)}): plans are changed by the platform`,
      );
    }
  }
  const features = applyOverrides(tenant.features, input.features);
  let settings = applyOverrides(tenant.settings, input.settings);
  if (Object.keys(settings).length > 100) throw badRequest("A tenant has at most 100 settings");
  const requireMfa = input.security?.requireMfa;
  if (requireMfa !== undefined) {
    // Requiring MFA while lacking it would lock the caller out at their next request.
    if (requireMfa && !caller.mfaEnabled) {
      throw preconditionFailed("Turn on two-factor authentication for your own account first");
    }
    settings = applyOverrides(settings, { [REQUIRE_MFA_SETTING]: requireMfa ? true : null });
  }
  const businessHours = input.businessHours === undefined ? tenant.businessHours : input.businessHours;
  const sla = input.sla === undefined ? tenant.sla : input.sla;
  if (input.businessHours !== undefined || input.sla !== undefined) checkSlaFits(businessHours, sla);
  if (input.aiReplies) await checkAiReplies(tx, resolveFeatures({ ...tenant, features }, parent), input.aiReplies);
  const retention = input.retention === undefined ? undefined : nextRetention(tenant.retention, input.retention, caller.role);
  const [row] = await tx
    .update(tenants)
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.routing !== undefined ? { routing: input.routing } : {}),
      ...(input.businessHours !== undefined ? { businessHours: input.businessHours } : {}),
      ...(input.sla !== undefined ? { sla: input.sla } : {}),
      ...(input.aiReplies !== undefined ? { aiReplies: input.aiReplies } : {}),
      ...(retention !== undefined ? { retention } : {}),
      branding: applyOverrides(tenant.branding, input.branding),
      features,
      settings,
      updatedAt: new Date(),
    })
    .where(eq(tenants.id, tenant.id))
    .returning();
  return tenantView(tx, row!);
}

/** A tenant in a directory listing (departments of a tenant, every tenant for platform admins). */
export function tenantListItem(t: Tenant) {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    parentId: t.parentId,
    tier: t.tier,
    status: t.status,
    memberCount: t.memberCount,
    maxUsers: t.maxUsers,
    createdAt: t.createdAt.toISOString(),
  };
}

/** Tenant lists (the caller's tenants, the platform's) page by slug. */
export const tenantOrder = bySlug(tenants.slug, (t: Tenant) => t.slug);

/** Tenants matching `where`, by slug, one page (the cursor is the last slug). */
export async function listTenantsBySlug(
  tx: Tx,
  where: SQL | undefined,
  input: { limit: number; cursor?: string | undefined },
) {
  const rows = await tx
    .select()
    .from(tenants)
    .where(and(where, afterCursor(input.cursor, tenantOrder)))
    .orderBy(...orderOf(tenantOrder))
    .limit(input.limit + 1);
  return toPage(rows, input.limit, tenantOrder, tenantListItem);
}

/** The current tenant's departments (visible through "a tenant sees its departments"), by slug. */
export function listChildren(tx: Tx, tenant: Tenant, input: { limit: number; cursor?: string | undefined }) {
  return listTenantsBySlug(tx, and(eq(tenants.parentId, tenant.id), ne(tenants.status, "archived")), input);
}

/** The tenant's effective feature toggles and limits (plan ← organisation ← own overrides, never past the plan). */
export async function effectiveFeatures(tx: Tx, tenant: Tenant): Promise<Features> {
  return resolveFeatures(tenant, await parentOf(tx, tenant));
}
