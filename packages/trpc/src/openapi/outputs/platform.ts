import { z } from "zod";
import { page } from "./common";
import { features, tenantListItem } from "./tenant";

const platformTenant = tenantListItem.extend({
  planFeatures: features.partial().describe("Features the plan grants beyond the tier's."),
  requestsPerMinute: z.number(),
  usage: z.strictObject({ members: z.number(), agents: z.number(), requestsLastHour: z.number() }),
});

export const platformOutputs = {
  tenants: {
    list: page(platformTenant),
    setPlan: platformTenant,
  },
};
