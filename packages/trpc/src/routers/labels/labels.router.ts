import type { TRPCRouterRecord } from "@trpc/server";

export const labelsRouter = {} satisfies TRPCRouterRecord;
