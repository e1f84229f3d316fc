import { z } from "zod";
import { memberRole } from "@switchboard/db";
import { isoDateTime, label, pagination, uuid } from "../../lib/inputs";

const DAY_MS = 86_400_000;
/** Without `expiresAt` a key lives this long. */
export const API_KEY_DEFAULT_DAYS = 90;
/** No key lives longer than this from its creation. */
export const API_KEY_MAX_DAYS = 366;

export const createApiKeyInput = z.strictObject({
  name: label,
  role: z.enum(memberRole.enumValues).exclude(["owner"]), // a key acts with any role but owner
  expiresAt: isoDateTime
    .refine((d) => d.getTime() > Date.now(), { message: "Must be in the future" })
    .refine((d) => d.getTime() <= Date.now() + API_KEY_MAX_DAYS * DAY_MS, {
      message: `Must be at most ${API_KEY_MAX_DAYS} days ahead`,
    })
    .optional(),
});
export const listApiKeysInput = z.strictObject({ ...pagination }).default({ limit: 50 });
export const revokeApiKeyInput = z.strictObject({ id: uuid });
