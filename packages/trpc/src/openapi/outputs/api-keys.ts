import { z } from "zod";
import { memberRole } from "@switchboard/db";
import { page, timestamp, uuid } from "./common";

const apiKeyFields = {
  id: uuid,
  name: z.string(),
  role: z.enum(memberRole.enumValues).exclude(["owner"]),
  prefix: z.string(),
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
  expiresAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
};
const apiKey = z.strictObject(apiKeyFields);

export const apiKeysOutputs = {
  create: z.strictObject({
    ...apiKeyFields,
    key: z.string().describe("The key itself (`sk_…`), shown this once: only its hash is stored."),
  }),
  list: page(apiKey),
  revoke: apiKey,
};
