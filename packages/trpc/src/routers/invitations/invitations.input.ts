import { z } from "zod";
import { pagination, uuid } from "../../lib/inputs";

export const listInvitationsInput = z.strictObject({ ...pagination }).default({ limit: 50 });
export const myInvitationsInput = z.strictObject({ ...pagination }).default({ limit: 50 });
export const revokeInvitationInput = z.strictObject({ id: uuid });
/** By the mailed link's token, or by id from `invitations.mine` (verified addresses). */
export const acceptInvitationInput = z.union([
  z.strictObject({ token: z.string().min(1).max(128) }),
  z.strictObject({ id: uuid }),
]);
