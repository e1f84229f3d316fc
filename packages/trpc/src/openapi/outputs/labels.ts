import { z } from "zod";
import { deleted, page, timestamp, uuid } from "./common";

const label = z.strictObject({ id: uuid, name: z.string(), color: z.string(), createdAt: timestamp, updatedAt: timestamp });

export const labelsOutputs = {
  list: page(label),
  create: label,
  update: label,
  delete: deleted,
};
