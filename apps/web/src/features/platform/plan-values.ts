/**
 * The plan form's values and the `platform.tenants.setPlan` input they stand for. setPlan sets the WHOLE plan: a
 * part left out takes the tier's default, so the form starts from the tenant's current plan (its own seats, budget
 * and grants) and an emptied field means "the tier's default".
 */
import type { RouterInputs } from "../../lib/trpc";
import type { PlatformTenant, Tier } from "./platform-meta";

export type SetPlanInput = RouterInputs["platform"]["tenants"]["setPlan"];
type PlanFeatures = NonNullable<SetPlanInput["features"]>;
export type SwitchFeature = { [K in keyof PlanFeatures]-?: NonNullable<PlanFeatures[K]> extends boolean ? K : never }[keyof PlanFeatures];
export type LimitFeature = { [K in keyof PlanFeatures]-?: NonNullable<PlanFeatures[K]> extends number ? K : never }[keyof PlanFeatures];

/** A switch granted beyond the tier ("on"), withheld below it ("off"), or as the tier has it (""). */
export type Grant = "" | "on" | "off";

export interface PlanValues {
  tier: Tier;
  /** Digits, or "" for the tier's default. */
  maxUsers: string;
  requestsPerMinute: string;
  switches: Record<SwitchFeature, Grant>;
  limits: Record<LimitFeature, string>;
}

export const switchLabel: Record<SwitchFeature, string> = {
  voiceAgents: "Voice agents",
  chatAgents: "Chat agents",
  callRecording: "Call recording",
  analytics: "Analytics",
};
export const limitLabel: Record<LimitFeature, string> = { maxAgents: "AI agents", maxConcurrentCalls: "Concurrent calls" };
const switchKeys = Object.keys(switchLabel) as SwitchFeature[];
const limitKeys = Object.keys(limitLabel) as LimitFeature[];

/**
 * The form's starting point. `ownBudget` is the platform's own request budget (null: the tier's); a tenant row
 * shows the effective one, which must not be sent back as if it had been set.
 */
export function planValues(t: Pick<PlatformTenant, "tier" | "maxUsers" | "planFeatures">, ownBudget: number | null): PlanValues {
  const f = t.planFeatures as PlanFeatures;
  const grant = (v: boolean | undefined): Grant => (v === undefined ? "" : v ? "on" : "off");
  return {
    tier: t.tier,
    maxUsers: String(t.maxUsers),
    requestsPerMinute: ownBudget === null ? "" : String(ownBudget),
    switches: Object.fromEntries(switchKeys.map((k) => [k, grant(f[k])])) as Record<SwitchFeature, Grant>,
    limits: Object.fromEntries(limitKeys.map((k) => [k, f[k] === undefined ? "" : String(f[k])])) as Record<LimitFeature, string>,
  };
}

/** "" → undefined (the tier's default); anything else a number (the API refuses what is not a whole number in range). */
const numberOrDefault = (s: string): number | undefined => (s.trim() === "" ? undefined : Number(s.trim()));

export function setPlanInput(tenantId: string, v: PlanValues): SetPlanInput {
  const features: PlanFeatures = {};
  for (const k of switchKeys) if (v.switches[k]) features[k] = v.switches[k] === "on";
  for (const k of limitKeys) {
    const n = numberOrDefault(v.limits[k]);
    if (n !== undefined) features[k] = n;
  }
  const input: SetPlanInput = { tenantId, tier: v.tier, features };
  const maxUsers = numberOrDefault(v.maxUsers);
  if (maxUsers !== undefined) input.maxUsers = maxUsers;
  // null, not left out: an emptied budget goes back to the tier's.
  input.requestsPerMinute = numberOrDefault(v.requestsPerMinute) ?? null;
  return input;
}

/** Another tier starts from that tier's seats and budget (empty fields); the grants beyond it are kept. */
export function withTier(v: PlanValues, tier: Tier): PlanValues {
  return tier === v.tier ? v : { ...v, tier, maxUsers: "", requestsPerMinute: "" };
}
