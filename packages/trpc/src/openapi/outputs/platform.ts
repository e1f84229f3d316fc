import { z } from "zod";
import { auditOutputs } from "./audit";
import { page, timestamp, uuid } from "./common";
import { features, tenantListItem } from "./tenant";

const platformTenant = tenantListItem.extend({
  planFeatures: features.partial().describe("Features the plan grants beyond the tier's."),
  requestsPerMinute: z.number().describe("The effective request budget per minute: the platform's figure, else the tier's."),
  planRequestsPerMinute: z.number().nullable().describe("The platform's own figure; null: the tier's."),
  suspendedReason: z.string().nullable().describe("Why the platform suspended it (shown to its members); null unless suspended."),
  suspendedAt: timestamp.nullable(),
  archivedAt: timestamp.nullable(),
  purgeAfter: timestamp.nullable().describe("While archived: the end of the grace period, then the purge deletes its data."),
  usage: z.strictObject({
    members: z.number(),
    agents: z.number(),
    requestsLastHour: z.number(),
    storageBytes: z.number().describe("Estimated: the tenant's rows per table × the table's bytes per row (heap, TOAST, indexes)."),
  }),
});

export const platformOutputs = {
  tenants: {
    list: page(platformTenant),
    get: platformTenant,
    setPlan: platformTenant,
    suspend: platformTenant,
    restore: platformTenant,
    audit: auditOutputs.list,
  },
  audit: page(
    z.strictObject({
      id: uuid,
      at: timestamp,
      actor: z.strictObject({ id: uuid.nullable().describe("null: the system (the purge job)."), label: z.string() }),
      action: z.string().describe("`platform.tenants.setPlan`, `platform.tenants.suspend`, `platform.tenants.restore`, `tenant.purged`."),
      targetTenantId: uuid.nullable(),
      targetTenant: z
        .strictObject({ id: uuid, slug: z.string(), name: z.string() })
        .nullable()
        .describe("The tenant as it is now; null once purged (a purge's details keep its slug and name)."),
      details: z.record(z.string(), z.unknown()),
    }),
  ),
};
