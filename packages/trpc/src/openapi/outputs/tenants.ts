import { z } from "zod";
import { memberRole } from "@switchboard/db";
import { page, uuid } from "./common";
import { tenantListItem, tenantView } from "./tenant";

export const tenantsOutputs = {
  list: z.strictObject({
    items: z.array(
      z.strictObject({
        id: uuid,
        slug: z.string(),
        name: z.string(),
        parentId: uuid.nullable(),
        role: z.enum(memberRole.enumValues),
        memberCount: z.number(),
        maxUsers: z.number(),
      }),
    ),
  }),
  create: tenantView,
  all: page(tenantListItem),
  switch: z.strictObject({
    slug: z.string(),
    url: z.string().describe("The tenant's dashboard, with a single-use 60-second hand-off token."),
  }),
};
