import { z } from "zod";
import { deleted, page, timestamp, uuid } from "./common";

const cannedResponse = z.strictObject({
  id: uuid,
  shortcut: z.string(),
  title: z.string(),
  body: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

export const cannedResponsesOutputs = {
  list: page(cannedResponse),
  create: cannedResponse,
  update: cannedResponse,
  delete: deleted,
};
