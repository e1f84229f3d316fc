import type { TRPCRouterRecord } from "@trpc/server";
import { tenantAgentProcedure, tenantProcedure } from "../../procedures";
import { ingestMessageInput, listMessagesInput, noteInput, sendMessageInput } from "./messages.input";
import { addNote, ingestMessage, listMessages, sendMessage } from "./messages.service";

const audit = { audit: { resourceType: "message" } };

export const messagesRouter = {
  list: tenantProcedure.input(listMessagesInput).query(({ ctx, input }) => listMessages(ctx.tx, input)),
  send: tenantAgentProcedure
    .meta(audit)
    .input(sendMessageInput)
    .mutation(({ ctx, input }) => sendMessage(ctx.tx, { user: ctx.user, apiKeyId: ctx.apiKeyId }, input)),
  note: tenantAgentProcedure
    .meta(audit)
    .input(noteInput)
    .mutation(({ ctx, input }) => addNote(ctx.tx, { user: ctx.user, apiKeyId: ctx.apiKeyId }, input)),
  ingest: tenantAgentProcedure
    .meta(audit)
    .input(ingestMessageInput)
    .mutation(async ({ ctx, input }) => {
      const result = await ingestMessage(ctx.tx, ctx.tenant, input);
      ctx.audit.resourceId = result.message.id;
      return result;
    }),
} satisfies TRPCRouterRecord;
