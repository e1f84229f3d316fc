import type { TRPCRouterRecord } from "@trpc/server";
import { tenantUrl } from "../../lib/urls";
import { tenantAccessProcedure, tenantAdminProcedure } from "../../procedures";
import { aiRouter } from "./ai.router";
import { setTwilioInput } from "./integrations.input";
import { deleteTwilio, getTwilio, setTwilio } from "./integrations.service";

const audit = { audit: { resourceType: "integration" } };

// Credentials are access to the tenant's telephony: people only (a key is FORBIDDEN), like API keys themselves.
const twilioRouter = {
  get: tenantAdminProcedure.query(({ ctx }) => getTwilio(ctx.tx, ctx.tenant, tenantUrl(ctx, ctx.tenant.slug, ""))),
  set: tenantAccessProcedure
    .meta(audit)
    .input(setTwilioInput)
    .mutation(({ ctx, input }) => {
      ctx.audit.resourceId = "twilio";
      return setTwilio(ctx.tx, ctx.auth.secrets, ctx.tenant, input, tenantUrl(ctx, ctx.tenant.slug, ""));
    }),
  delete: tenantAccessProcedure.meta(audit).mutation(({ ctx }) => {
    ctx.audit.resourceId = "twilio";
    return deleteTwilio(ctx.tx, ctx.tenant, tenantUrl(ctx, ctx.tenant.slug, ""));
  }),
} satisfies TRPCRouterRecord;

export const integrationsRouter = {
  twilio: twilioRouter,
  ai: aiRouter,
} satisfies TRPCRouterRecord;
