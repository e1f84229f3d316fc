import { z } from "zod";
import { isoDateTime, label, pagination, uuid } from "../../lib/inputs";

export const createApiKeyInput = z.strictObject({
  name: label,
  role: z.enum(["admin", "agent", "viewer"]),
  expiresAt: isoDateTime.optional(),
});
export const listApiKeysInput = z.strictObject({ ...pagination }).default({ limit: 50 });
export const revokeApiKeyInput = z.strictObject({ id: uuid });
