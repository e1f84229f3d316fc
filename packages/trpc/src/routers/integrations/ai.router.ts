import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAccessProcedure, tenantAdminProcedure } from "../../procedures";
import { setAiKeyInput } from "./ai.input";
import { deleteAiKey, getAiKey, setAiKey } from "./ai.service";

const audit = { audit: { resourceType: "integration" } };

/** The tenant's own AI key (admin; people only on writes, like every integration secret). */
export const aiRouter = {
  get: tenantAdminProcedure.query(({ ctx }) => getAiKey(ctx.tx, ctx.tenant)),
  set: tenantAccessProcedure
    .meta(audit)
    .input(setAiKeyInput)
    .mutation(({ ctx, input }) => {
      ctx.audit.resourceId = "ai";
      return setAiKey(ctx.tx, ctx.auth.secrets, ctx.tenant, input);
    }),
  delete: tenantAccessProcedure.meta(audit).mutation(({ ctx }) => {
    ctx.audit.resourceId = "ai";
    return deleteAiKey(ctx.tx, ctx.tenant);
  }),
} satisfies TRPCRouterRecord;
