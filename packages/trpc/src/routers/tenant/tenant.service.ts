import { eq } from "drizzle-orm";
import {
  type Branding,
  defaultBranding,
  type Features,
  type Tenant,
  type TenantSettings,
  tenants,
  tierDefaults,
  type Tx,
} from "@switchboard/db";

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

/** The tenant's effective feature toggles and limits (tier defaults ← parent ← own overrides). */
export async function effectiveFeatures(tx: Tx, tenant: Tenant): Promise<Features> {
  return (await tenantView(tx, tenant)).features;
}
