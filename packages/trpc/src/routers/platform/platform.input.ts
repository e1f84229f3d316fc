import { z } from "zod";
import { tenantStatus, tenantTier } from "@switchboard/db";
import { pagination, singleLine, uuid } from "../../lib/inputs";

const tier = z.enum(tenantTier.enumValues);
const limit = z.number().int().min(0).max(100_000);

export const listPlatformTenantsInput = z
  .strictObject({
    /** Part of the slug or name. */
    q: singleLine(100).optional(),
    status: z.enum(tenantStatus.enumValues).optional(),
    tier: tier.optional(),
    ...pagination,
  })
  .default({ limit: 50 });

/** The platform's grant beyond the tier (or below it): any subset of the tenant features. */
export const planFeaturesInput = z.strictObject({
  voiceAgents: z.boolean().optional(),
  chatAgents: z.boolean().optional(),
  callRecording: z.boolean().optional(),
  analytics: z.boolean().optional(),
  maxAgents: limit.optional(),
  maxConcurrentCalls: limit.optional(),
});

/** The whole plan: omitted parts take the tier's defaults (maxUsers, features, request budget). */
export const setPlanInput = z.strictObject({
  tenantId: uuid,
  tier,
  maxUsers: z.number().int().min(1).max(100_000).optional(),
  features: planFeaturesInput.optional(),
  requestsPerMinute: z.number().int().min(1).max(1_000_000).nullable().optional(),
});

/** One tenant by id (get, restore). */
export const tenantIdInput = z.strictObject({ tenantId: uuid });

export const suspendTenantInput = z.strictObject({
  tenantId: uuid,
  /** Shown to the tenant's members in the refusal: say why and whom to contact. */
  reason: singleLine(500),
});

export const platformAuditInput = z
  .strictObject({ tenantId: uuid.optional(), ...pagination })
  .default({ limit: 50 });

export const tenantAuditInput = z.strictObject({ tenantId: uuid, ...pagination });
