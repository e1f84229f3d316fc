/** For routers that hand out survey links (engagements.get, resolving): the request's keys and the tenant's origin. */
import type { Tenant } from "@switchboard/db";
import type { Context } from "../../context";
import { tenantUrl } from "../../lib/urls";
import type { CsatLinks } from "./csat.service";

export function csatLinksOf(ctx: Pick<Context, "auth" | "baseDomain" | "request"> & { tenant: Pick<Tenant, "slug"> }): CsatLinks {
  return { secrets: ctx.auth.secrets, baseUrl: tenantUrl(ctx, ctx.tenant.slug, "") };
}
