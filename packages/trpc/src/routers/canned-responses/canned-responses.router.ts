import type { TRPCRouterRecord } from "@trpc/server";

export const cannedResponsesRouter = {} satisfies TRPCRouterRecord;
