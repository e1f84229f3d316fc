import { and, asc, eq, gt, isNull, ne, type SQL, sql } from "drizzle-orm";
import {
  type Branding,
  defaultBranding,
  type Features,
  invitations,
  type Tenant,
  type TenantSettings,
  tenants,
  tierDefaults,
  type Tx,
} from "@switchboard/db";
import { decodeCursor, encodeCursor, page } from "../../lib/cursor";
import { badRequest, forbidden, preconditionFailed } from "../../errors";

export interface TenantView {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
  tier: Tenant["tier"];
  status: Tenant["status"];
  maxUsers: number;
  memberCount: number;
  branding: Branding;
  features: Features;
  settings: TenantSettings;
  createdAt: string;
}

/**
 * The tenant as callers see it: a department inherits branding, features and settings from its organisation
 * unless it overrides them; features start from the tier's defaults.
 */
export async function tenantView(tx: Tx, tenant: Tenant): Promise<TenantView> {
  let parent: Tenant | undefined;
  if (tenant.parentId) [parent] = await tx.select().from(tenants).where(eq(tenants.id, tenant.parentId));
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    parentId: tenant.parentId,
    tier: tenant.tier,
    status: tenant.status,
    maxUsers: tenant.maxUsers,
    memberCount: tenant.memberCount,
    branding: { ...defaultBranding, ...parent?.branding, ...tenant.branding },
    features: { ...tierDefaults[tenant.tier].features, ...parent?.features, ...tenant.features },
    settings: { ...parent?.settings, ...tenant.settings },
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
  maxUsers?: number | undefined;
  tier?: Tenant["tier"] | undefined;
}

export async function updateTenant(
  tx: Tx,
  tenant: Tenant,
  input: UpdateTenantInput,
  caller: { isOwner: boolean; isPlatformAdmin: boolean },
): Promise<TenantView> {
  if ((input.maxUsers !== undefined || input.tier !== undefined) && !caller.isOwner && !caller.isPlatformAdmin) {
    throw forbidden("Only owners can change the user limit or the tier");
  }
  const tier = input.tier ?? tenant.tier;
  const features = applyOverrides(tenant.features, input.features);
  // Tenants switch features off or lower limits; going beyond the tier is the platform's call.
  if (!caller.isPlatformAdmin) {
    const allowed = tierDefaults[tier].features;
    for (const [k, v] of Object.entries(input.features ?? {})) {
      const cap = allowed[k as keyof Features];
      if ((typeof v === "boolean" && v && !cap) || (typeof v === "number" && v > Number(cap))) {
        throw forbidden(`The ${tier} tier does not allow ${k} = ${String(v)}`);
      }
    }
  }
  const settings = applyOverrides(tenant.settings, input.settings);
  if (Object.keys(settings).length > 100) throw badRequest("A tenant has at most 100 settings");
  if (input.maxUsers !== undefined) {
    const seats = tenant.memberCount + (await openInvitationCount(tx, tenant.id));
    if (input.maxUsers < seats) {
      throw preconditionFailed(`This tenant already uses ${seats} seats (members and pending invitations)`);
    }
  }
  const [row] = await tx
    .update(tenants)
    .set({
      ...(input.name !== undefined ? { name: input.name } : {}),
      ...(input.maxUsers !== undefined ? { maxUsers: input.maxUsers } : {}),
      tier,
      branding: applyOverrides(tenant.branding, input.branding),
      features,
      settings,
      updatedAt: new Date(),
    })
    .where(eq(tenants.id, tenant.id))
    .returning();
  return tenantView(tx, row!);
}

export async function archiveTenant(tx: Tx, tenant: Tenant, input: { confirmSlug: string }) {
  if (input.confirmSlug !== tenant.slug) throw badRequest("confirmSlug must be this tenant's slug");
  await tx.update(tenants).set({ status: "archived", updatedAt: new Date() }).where(eq(tenants.id, tenant.id));
  return { ok: true as const };
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

/** Tenants matching `where`, by slug, one page (the cursor is the last slug). */
export async function listTenantsBySlug(
  tx: Tx,
  where: SQL | undefined,
  input: { limit: number; cursor?: string | undefined },
) {
  const after = input.cursor ? decodeCursor(input.cursor, (v) => v.length === 1)[0]! : null;
  const rows = await tx
    .select()
    .from(tenants)
    .where(and(where, after ? gt(tenants.slug, after) : undefined))
    .orderBy(asc(tenants.slug))
    .limit(input.limit + 1);
  const { items, nextCursor } = page(rows, input.limit, (t) => encodeCursor([t.slug]));
  return { items: items.map(tenantListItem), nextCursor };
}

/** The current tenant's departments (visible through "a tenant sees its departments"), by slug. */
export function listChildren(tx: Tx, tenant: Tenant, input: { limit: number; cursor?: string | undefined }) {
  return listTenantsBySlug(tx, and(eq(tenants.parentId, tenant.id), ne(tenants.status, "archived")), input);
}

/** The tenant's effective feature toggles and limits (tier defaults ← parent ← own overrides). */
export async function effectiveFeatures(tx: Tx, tenant: Tenant): Promise<Features> {
  return (await tenantView(tx, tenant)).features;
}
