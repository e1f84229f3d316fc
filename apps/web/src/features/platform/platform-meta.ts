/** The platform console's types (the API's, via RouterOutputs) and the labels and tones of tenant states and tiers. */
import type { BadgeTone } from "../../components/ui/badge";
import { enumValues } from "../../lib/enums";
import type { RouterInputs, RouterOutputs } from "../../lib/trpc";

export type PlatformTenant = RouterOutputs["platform"]["tenants"]["list"]["items"][number];
export type TenantStatus = PlatformTenant["status"];
export type Tier = PlatformTenant["tier"];
export type PlatformTenantsInput = Exclude<RouterInputs["platform"]["tenants"]["list"], void | undefined>;

export const tenantStatusTone: Record<TenantStatus, BadgeTone> = { active: "good", suspended: "warn", archived: "neutral" };
export const tenantStatuses = enumValues(tenantStatusTone);

export const tierLabel: Record<Tier, string> = { free: "Free", pro: "Pro", enterprise: "Enterprise" };
export const tiers = enumValues(tierLabel);

/** The list's filter form, and the platform.tenants.list input it stands for (empty fields left out). */
export interface TenantFilters {
  q: string;
  status: "" | TenantStatus;
  tier: "" | Tier;
}

export const noTenantFilters: TenantFilters = { q: "", status: "", tier: "" };

export function tenantsQueryInput(f: TenantFilters, limit = 50): PlatformTenantsInput {
  const input: PlatformTenantsInput = { limit };
  const q = f.q.trim();
  if (q) input.q = q.slice(0, 100);
  if (f.status) input.status = f.status;
  if (f.tier) input.tier = f.tier;
  return input;
}
