import { z } from "zod";
import { page, uuid } from "./common";
import { engagement, engagementFields, message } from "./conversations";

export const engagementsOutputs = {
  list: page(engagement),
  get: z.strictObject({
    ...engagementFields,
    csatSurveyUrl: z.string().nullable().describe("The customer's survey link, once the engagement is resolved."),
  }),
  create: engagement,
  updateStatus: engagement,
  assign: engagement,
  rate: engagement,
  setPriority: engagement,
  setLabels: engagement,
  /** Each Server-Sent Event's `data` (its `id` is the event id to resume from). */
  onEvent: z.discriminatedUnion("type", [
    z.strictObject({ type: z.enum(["created", "updated"]), engagement }),
    z.strictObject({ type: z.literal("message"), engagementId: uuid, message }),
  ]),
};
