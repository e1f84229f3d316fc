import { z } from "zod";
import { leadStatus } from "@switchboard/db";
import { deleted, page, timestamp, uuid } from "./common";

export const lead = z.strictObject({
  id: uuid,
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  source: z.string().nullable(),
  status: z.enum(leadStatus.enumValues),
  contactId: uuid.nullable(),
  createdAt: timestamp,
  erased: z.boolean().describe('The person was erased: name reads "Erased", phone, e-mail and source are null.'),
});

export const leadsOutputs = {
  list: page(lead),
  get: lead,
  create: lead,
  update: lead,
  delete: deleted,
};
