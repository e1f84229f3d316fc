import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAccessProcedure } from "../../procedures";
import { createApiKeyInput, listApiKeysInput, revokeApiKeyInput } from "./api-keys.input";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.service";

const audit = { audit: { resourceType: "apiKey" } };

// Every procedure here is people only: a key cannot list, mint or revoke keys (contract: keys work data, never access).

export const apiKeysRouter = {
  create: tenantAccessProcedure
    .meta(audit)
    .input(createApiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx.tx, ctx.tenant.id, ctx.user?.id ?? null, input)),

  list: tenantAccessProcedure.input(listApiKeysInput).query(({ ctx, input }) => listApiKeys(ctx.tx, input)),

  revoke: tenantAccessProcedure
    .meta(audit)
    .input(revokeApiKeyInput)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.tx, input)),
} satisfies TRPCRouterRecord;
