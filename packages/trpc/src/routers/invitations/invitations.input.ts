import { z } from "zod";
import { pagination, uuid } from "../../lib/inputs";

export const listInvitationsInput = z.strictObject({ ...pagination }).default({ limit: 50 });
export const revokeInvitationInput = z.strictObject({ id: uuid });
export const acceptInvitationInput = z.strictObject({ token: z.string().min(1).max(128) });
