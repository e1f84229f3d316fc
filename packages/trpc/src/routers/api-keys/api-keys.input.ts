import { z } from "zod";
import { isoDateTime, label, pagination, uuid } from "../../lib/inputs";

const dayMs = 86_400_000;
/** Without `expiresAt` a key lives this long. */
export const API_KEY_DEFAULT_DAYS = 90;
/** No key lives longer than this from its creation. */
export const API_KEY_MAX_DAYS = 366;

export const createApiKeyInput = z.strictObject({
  name: label,
  role: z.enum(["admin", "agent", "viewer"]),
  expiresAt: isoDateTime
    .refine((d) => d.getTime() > Date.now(), { message: "Must be in the future" })
    .refine((d) => d.getTime() <= Date.now() + API_KEY_MAX_DAYS * dayMs, {
      message: `Must be at most ${API_KEY_MAX_DAYS} days ahead`,
    })
    .optional(),
});
export const listApiKeysInput = z.strictObject({ ...pagination }).default({ limit: 50 });
export const revokeApiKeyInput = z.strictObject({ id: uuid });
