import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAdminProcedure } from "../../trpc";
import { createApiKeyInput, listApiKeysInput, revokeApiKeyInput } from "./api-keys.input";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.service";

const audited = { audit: { resourceType: "apiKey" } };

export const apiKeysRouter = {
  create: tenantAdminProcedure
    .meta(audited)
    .input(createApiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx.tx, ctx.tenant.id, ctx.user?.id ?? null, input)),

  list: tenantAdminProcedure.input(listApiKeysInput).query(({ ctx, input }) => listApiKeys(ctx.tx, input)),

  revoke: tenantAdminProcedure
    .meta(audited)
    .input(revokeApiKeyInput)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.tx, input)),
} satisfies TRPCRouterRecord;
