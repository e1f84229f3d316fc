import { z } from "zod";
import { engagementChannel } from "@switchboard/db";
import { timestamp } from "./common";

export const analyticsOutputs = {
  summary: z.strictObject({
    calls: z.number(),
    engagements: z.number(),
    avgFirstResponseSeconds: z.number().nullable(),
    resolutionRate: z.number().min(0).max(1),
    csatAverage: z.number().nullable(),
    byChannel: z.array(z.strictObject({ channel: z.enum(engagementChannel.enumValues), count: z.number() })),
    aiUsage: z
      .strictObject({ replies: z.number(), promptTokens: z.number(), completionTokens: z.number() })
      .describe("AI replies sent in the range and the tokens they used."),
  }),
  timeseries: z.strictObject({
    points: z.array(z.strictObject({ t: timestamp.describe("The UTC bucket's start."), value: z.number() })),
  }),
};
